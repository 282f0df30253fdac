"""Plans, tasks, and the random draws of targets and inspectors (双随机), verifiable by anyone."""
