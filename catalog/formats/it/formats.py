# "1 ottobre 2026", as Italian prose writes a date (Django's default pads the day: "01").
DATE_FORMAT = "j F Y"
