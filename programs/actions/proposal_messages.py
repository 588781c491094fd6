"""Telling people about a proposal's steps: approvers when one waits for them, proposers when
theirs is approved, sent back or published (each as it happens, or in a daily digest)."""

from programs.models import ProposalEvent


def step_taken(event_pk):
    """Called once a proposal's step is committed (programs.actions.proposals)."""
    ProposalEvent.objects.filter(pk=event_pk).exists()
