"""The inspector pool (执法检查人员名录库): who may inspect under which regime, when."""
