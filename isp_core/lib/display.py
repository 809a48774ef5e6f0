"""How isp_core's records name themselves for staff."""

# A record's time in its name: day, month and time of day, in the reader's zone and language
# (babel's pattern: "6 dic 04:11" in Spanish, "6 Dec 04:11" in English).
SHORT_TIME = "d MMM HH:mm"
