"""The bulletin section "Hedersvåld och våldsbejakande extremism": counted in SQL,
protected by one disclosure-control function, drafted, fastställd and exported."""
