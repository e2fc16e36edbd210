# helpers.bash — shared setup for the bats suites.
# Commands under test come from $PK_BIN (the sanitizer build sets it).
PK_TOP=${PK_TOP:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)}
PK_BIN=${PK_BIN:-$PK_TOP/bin}
PK_BUILD=${PK_BUILD:-$PK_TOP/build}
PATH="$PK_BIN:$PATH"
TD=$PK_TOP/testdata
CORPUS=${PK_CORPUS:-$PK_TOP/../shared/corpus}
export TZ=UTC

# Skip a test when an oracle tool is not installed.
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"; }
need_corpus() { [ -d "$CORPUS" ] || skip "no corpus at $CORPUS"; }
