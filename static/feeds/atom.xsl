<?xml version="1.0" encoding="utf-8"?>
<!--
  Shows the catalog's Atom feeds (programs/web/feeds.py) as a readable page when one is opened in
  a browser; feed readers ignore it. The feed names this file and the page's stylesheet in its
  xml-stylesheet instructions, so neither address is written here (static files get hashed
  names). The headings come from the feed itself, in the language it was asked in.

  Each entry's summary is HTML held as text (type="html"): its list items are split out here, and
  the escapes undone, since a browser's XSLT can't parse HTML out of text.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="css" select="/processing-instruction('xml-stylesheet')[contains(., 'text/css')]"/>
    <html lang="{atom:feed/@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:feed/atom:title"/></title>
        <xsl:if test="$css">
          <link rel="stylesheet" href="{substring-before(substring-after($css, 'href=&quot;'), '&quot;')}"/>
        </xsl:if>
      </head>
      <body>
        <main class="feed-page">
          <xsl:apply-templates select="atom:feed"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:feed">
    <!-- The one sentence the feed doesn't carry, in the feed's language. -->
    <p class="feed-note">
      <xsl:choose>
        <xsl:when test="starts-with(@xml:lang, 'de')">Dies ist ein Atom-Feed. Kopieren Sie seine Adresse in einen Feedreader, um ihm zu folgen.</xsl:when>
        <xsl:when test="starts-with(@xml:lang, 'it')">Questo è un feed Atom. Copia il suo indirizzo in un lettore di feed per seguirlo.</xsl:when>
        <xsl:when test="starts-with(@xml:lang, 'sv')">Det här är ett Atom-flöde. Kopiera dess adress till en flödesläsare för att följa det.</xsl:when>
        <xsl:otherwise>This is an Atom feed. Copy its address into a feed reader to follow it.</xsl:otherwise>
      </xsl:choose>
    </p>
    <h1><xsl:value-of select="atom:title"/></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <p><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:link[@rel='alternate']/@href"/></a></p>
    <ol class="feed-entries">
      <xsl:apply-templates select="atom:entry"/>
    </ol>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="feed-date"><time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></p>
      <ul>
        <xsl:call-template name="items">
          <xsl:with-param name="html" select="substring-before(substring-after(atom:summary, '&lt;ul&gt;&lt;li&gt;'), '&lt;/li&gt;&lt;/ul&gt;')"/>
        </xsl:call-template>
      </ul>
    </li>
  </xsl:template>

  <!-- "a</li><li>b</li><li>c" as list items a, b and c. -->
  <xsl:template name="items">
    <xsl:param name="html"/>
    <xsl:variable name="separator" select="'&lt;/li&gt;&lt;li&gt;'"/>
    <xsl:choose>
      <xsl:when test="contains($html, $separator)">
        <li><xsl:call-template name="unescaped"><xsl:with-param name="text" select="substring-before($html, $separator)"/></xsl:call-template></li>
        <xsl:call-template name="items"><xsl:with-param name="html" select="substring-after($html, $separator)"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="string-length($html) &gt; 0">
        <li><xsl:call-template name="unescaped"><xsl:with-param name="text" select="$html"/></xsl:call-template></li>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The text with Django's HTML escapes undone: &lt; &gt; &quot; &#x27; and, last, &amp;. -->
  <xsl:template name="unescaped">
    <xsl:param name="text"/>
    <xsl:call-template name="replaced">
      <xsl:with-param name="text">
        <xsl:call-template name="replaced">
          <xsl:with-param name="text">
            <xsl:call-template name="replaced">
              <xsl:with-param name="text">
                <xsl:call-template name="replaced">
                  <xsl:with-param name="text">
                    <xsl:call-template name="replaced">
                      <xsl:with-param name="text" select="$text"/>
                      <xsl:with-param name="from" select="'&amp;lt;'"/>
                      <xsl:with-param name="to" select="'&lt;'"/>
                    </xsl:call-template>
                  </xsl:with-param>
                  <xsl:with-param name="from" select="'&amp;gt;'"/>
                  <xsl:with-param name="to" select="'&gt;'"/>
                </xsl:call-template>
              </xsl:with-param>
              <xsl:with-param name="from" select="'&amp;quot;'"/>
              <xsl:with-param name="to" select="'&quot;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;#x27;'"/>
          <xsl:with-param name="to" select='"&apos;"'/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replaced">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="concat(substring-before($text, $from), $to)"/>
        <xsl:call-template name="replaced">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
