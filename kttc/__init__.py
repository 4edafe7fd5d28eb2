"""KTTC: the platform of the Kunming (International) Technology Transfer Center."""
