"""Log the agent and register it as a new Unity Catalog model version — no serving.

The bundle's `register_agent` job runs this; so can a laptop, the first time (see
docs/deploy.md). The serving endpoint belongs to the bundle, which serves the version
given as ``--var agent_version=N`` on the next ``databricks bundle deploy``; this
script prints N. Options: ``python -m agent.deploy_agent``'s, plus ``--genie-space-id``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# A job runs this file by path; the packages it logs live beside its folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.deploy_agent import build_parser, log_agent, make_plan, register


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.prog = "python deploy/register_agent.py"
    parser.add_argument("--genie-space-id", help="the space the agent asks (GENIE_SPACE_ID)")
    args = parser.parse_args(argv)
    # Logging runs the agent once, configured like its endpoint: by environment variables
    # (a serverless job cannot set any). The workspace is this job's own, whose host the
    # SDK knows even when DATABRICKS_HOST is unset; without it the agent would look for
    # the local Genie.
    if args.genie_space_id:
        os.environ["GENIE_SPACE_ID"] = args.genie_space_id
    if not (os.environ.get("DATABRICKS_HOST") or os.environ.get("DATABRICKS_CONFIG_PROFILE")):
        from databricks.sdk import WorkspaceClient

        os.environ["DATABRICKS_HOST"] = WorkspaceClient().config.host

    from agent.settings import get_agent_settings

    plan = make_plan(get_agent_settings(), args)
    model_info = log_agent(plan)
    version = register(plan, model_info.model_uri)
    print(f"registered {plan.uc_model_name} version {version}")
    print(f"serve it: databricks bundle deploy -t <target> --var agent_version={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
