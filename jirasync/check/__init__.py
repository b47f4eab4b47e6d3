"""Check: config, release files and templates validated offline (``files``), the lessons
linted (``lint``, pure), and Jira asked whether it can take them (``online``). May import
the shared top level, the gateway and the chase texts it renders once with sample data."""
