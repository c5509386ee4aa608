"""Issue 12 §1/§7: every bad input to ``w2s`` is one line naming the parameter, exit 2, no
traceback, and nothing runs (or is written) before the inputs are checked."""
from __future__ import annotations

import pytest

from proofs_checks.cli import main


def _usage_error(capsys, *argv: str, names: str) -> str:
    """Run ``w2s argv`` in-process; assert exit 2 and one stderr line naming ``names``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert names in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("name", ["", ".", "..pkg", "pkg..mod", "a-b", "1abc", " "])
def test_plugin_bad_module_names(capsys, name):
    _usage_error(capsys, "--plugin", name, "list", names="--plugin")


def test_plugin_that_raises_on_import(capsys, tmp_path, monkeypatch):
    (tmp_path / "w2s_boom_plugin.py").write_text("raise RuntimeError('boom\\nsecond line')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    msg = _usage_error(capsys, "--plugin", "w2s_boom_plugin", "list", names="--plugin")
    assert "RuntimeError" in msg and "boom" in msg


def test_plugin_env_entry_is_named(capsys, monkeypatch):
    from proofs_checks import _registry

    monkeypatch.setattr(_registry, "_loaded", False)  # load_all() reads $W2S_PLUGINS again
    monkeypatch.setenv("W2S_PLUGINS", "no_such_w2s_plugin_xyz")
    _usage_error(capsys, "list", names="$W2S_PLUGINS")
