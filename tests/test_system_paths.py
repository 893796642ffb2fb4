"""zoo.system.paths: where the shipped zoo, the user zoo and the docs are, from a checkout or an environment variable."""

from zoo.system import paths


def test_a_checkout_finds_its_own_weights_and_docs(monkeypatch):
    monkeypatch.delenv("AE_ZOO_WEIGHTS", raising=False)
    root = paths.checkout_root()
    assert (root / "pyproject.toml").is_file() and root == paths.PACKAGE_DIR.parent
    assert paths.default_weights_dir() == root / "weights"
    assert paths.docs_dir() == root / "docs" and (paths.docs_dir() / "REPORT.md").is_file()


def test_environment_variables_move_the_zoos(tmp_path, monkeypatch):
    monkeypatch.setenv("AE_ZOO_WEIGHTS", str(tmp_path / "zoo"))
    assert paths.default_weights_dir() == tmp_path / "zoo"
    monkeypatch.delenv("AE_ZOO_USER_WEIGHTS", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert paths.user_weights_dir() == tmp_path / "cache" / "ae-zoo" / "user-weights"
    monkeypatch.setenv("AE_ZOO_USER_WEIGHTS", str(tmp_path / "mine"))
    assert paths.user_weights_dir() == tmp_path / "mine"
    assert paths.user_weights_dir() != paths.default_weights_dir()
