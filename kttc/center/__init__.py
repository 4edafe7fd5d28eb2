"""Part 3, the service system: catalog, institutions, evaluation, IP services, finance (M8-M12)."""
