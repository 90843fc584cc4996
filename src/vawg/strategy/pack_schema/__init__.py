"""Read and validate strategy packs: the national framework, a force strategy, its responses.

A pack is a versioned YAML file with stable ids. This package turns one into frozen dataclasses,
or raises :class:`PackError` naming the file, the item and what was expected. It imports no
Django, so the loading command, the tests and any script share the same rules.

Three kinds of pack exist, read in dependency order:

- ``framework``: the national framework, its pillars and numbered actions;
- ``force-strategy``: a force's aims, phases and improvement projects, and how each national
  action links to them (needs the framework);
- ``responses``: what the force does about each action (needs the framework and strategy).

Rules shared by all three: unknown keys are refused, so a typo cannot pass silently; ids are
unique across the whole pack; dates are real calendar dates written ``YYYY-MM-DD``.

Modules, by what they hold: :mod:`~vawg.strategy.pack_schema.loading` (YAML reading and
:class:`PackError`), :mod:`~vawg.strategy.pack_schema.checks` (the shared rules),
:mod:`~vawg.strategy.pack_schema.framework`, :mod:`~vawg.strategy.pack_schema.force_strategy`
and :mod:`~vawg.strategy.pack_schema.responses` (one kind of pack each). Everything public is
importable from this package, as before the split.
"""

from __future__ import annotations

# The pack kinds and MAX_ACTION_TITLE are public but were never in __all__: re-exported
# explicitly (``X as X``) so `from vawg.strategy.pack_schema import *` stays as it was.
from vawg.strategy.pack_schema.force_strategy import (
    MILESTONE_STATUSES,
    PackAim,
    PackLink,
    PackMilestone,
    PackPhase,
    PackProject,
    StrategyPack,
    read_strategy_pack,
)
from vawg.strategy.pack_schema.force_strategy import STRATEGY_KIND as STRATEGY_KIND
from vawg.strategy.pack_schema.framework import FRAMEWORK_KIND as FRAMEWORK_KIND
from vawg.strategy.pack_schema.framework import MAX_ACTION_TITLE as MAX_ACTION_TITLE
from vawg.strategy.pack_schema.framework import (
    FrameworkPack,
    PackAction,
    PackPillar,
    read_framework_pack,
)
from vawg.strategy.pack_schema.loading import PackError
from vawg.strategy.pack_schema.responses import (
    RAGS,
    STATUSES,
    PackEvidence,
    PackResponse,
    PackUpdate,
    ResponsesPack,
    read_responses_pack,
)
from vawg.strategy.pack_schema.responses import RESPONSES_KIND as RESPONSES_KIND

__all__ = [
    "MILESTONE_STATUSES",
    "RAGS",
    "STATUSES",
    "FrameworkPack",
    "PackAction",
    "PackAim",
    "PackError",
    "PackEvidence",
    "PackLink",
    "PackMilestone",
    "PackPhase",
    "PackPillar",
    "PackProject",
    "PackResponse",
    "PackUpdate",
    "ResponsesPack",
    "StrategyPack",
    "read_framework_pack",
    "read_responses_pack",
    "read_strategy_pack",
]
