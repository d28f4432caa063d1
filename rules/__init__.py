"""The rule catalogue. Every module in this package that defines a Rule subclass is a rule."""
