"""Exchange rates the center publishes (M8.1), for an indicative conversion of amounts in CNY on
public pages into the reader's currency. The amount in CNY stays the legal one everywhere; the
back office and exports show CNY only."""
