"""The self-inspection (``python -m generator inspect``): the site as a government-website check sees it.

A webmaster's real test is the quarterly government-website inspection and the
yearly disclosure assessment, where one stale column or a missing annual report
fails the site. ``inspect`` loads the site exactly as ``check`` does (same
loader, same ``--today``), keeps every located diagnostic of the build as a
finding, runs the rules of :mod:`.registry` over the site graph, and writes a
report for the webmaster (HTML) and for CI (JSON) beside the output, never in it.

- :mod:`.settings`: site.yaml ``inspection:`` (periods, word list, severities) and the column keys;
- :mod:`.registry`: :class:`~.registry.Rule`, :class:`~.registry.Finding`, the rule list;
- :mod:`.engine`: the run (diagnostics and rules, severities in force);
- :mod:`.columns`, :mod:`.reports`, :mod:`.timeliness`, :mod:`.directory`, :mod:`.links`,
  :mod:`.wording`: the rules, one module per subject;
- :mod:`.coverage`: the national checklist items and how each is covered;
- :mod:`.output`: the JSON and HTML report.

This module imports nothing: :mod:`generator.config` imports :mod:`.settings`,
and the rules import the site graph, which imports the configuration.
"""
