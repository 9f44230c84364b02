#!/usr/bin/env bash
# Lint: clang-format check, banned functions (STYLE.md), header self-containment.
# Exits non-zero with a list of what is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
files=$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]')

if ! clang-format --dry-run --Werror $files 2>/tmp/itee-format.log; then
  echo "lint: clang-format differences (run 'make format'):"; grep -E '^[^ ].*(warning|error)' /tmp/itee-format.log | cut -d: -f1 | sort -u
  fail=1
fi

banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|rand|srand)\s*\('
if grep -nE "$banned" $(git ls-files 'src/*.[ch]') ; then
  echo "lint: banned functions above (STYLE.md)"; fail=1
fi
if grep -nE '\bmemcmp\s*\(' $(git ls-files 'src/crypto/*.[ch]' 'src/keys/*.[ch]'); then
  echo "lint: memcmp in crypto/keys (use itee_ct_eq)"; fail=1
fi

# Every header compiles on its own.
for h in $(git ls-files 'src/*.h'); do
  if ! echo "#include \"${h#src/}\"" | clang -std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
      -Isrc -fsyntax-only -x c - 2>/dev/null; then
    echo "lint: header not self-contained: $h"; fail=1
  fi
done

[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
