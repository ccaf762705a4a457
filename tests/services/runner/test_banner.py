"""The `urls` banner of `make run` names what is not answering instead of hanging."""

from __future__ import annotations

from harness.processes import free_port
from services.common.settings import Settings
from services.runner.banner import services, show_banner, wait_until_healthy


def nothing_running() -> Settings:
    return Settings(
        api_port=free_port(),
        agent_port=free_port(),
        genie_port=free_port(),
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
    )


def test_services_that_do_not_answer_are_reported_after_the_timeout() -> None:
    listed = services(nothing_running())
    checked = {service.name for service in listed if service.is_up}
    assert checked == {"chat page", "API", "worker", "agent", "local Genie"}
    assert {service.name for service in wait_until_healthy(listed, 0.3)} == checked


def test_the_banner_says_which_services_are_not_up(capsys) -> None:
    settings = nothing_running()
    show_banner(settings, 0.3)
    out = capsys.readouterr().out
    assert "not every service answers yet" in out
    assert f"http://127.0.0.1:{settings.api_port}  (not answering yet" in out
    assert f"ws://127.0.0.1:{settings.api_port}/ws/questions/{{question_id}}" in out
