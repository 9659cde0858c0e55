"""On moto_server's PYTHONPATH (tests/emulator/start.sh): applies palisade_moto_fixes."""
import palisade_moto_fixes  # noqa: F401
