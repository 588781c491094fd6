# Dates as the site has always written them, the European way: "1 October 2026".
DATE_FORMAT = "j F Y"
