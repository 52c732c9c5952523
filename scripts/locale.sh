#!/usr/bin/env bash
# The interface's gettext catalogue: extract the English msgids from the code (cascade/locale/cascade.pot),
# merge them into each language's .po (new ones untranslated, to be filled in), compile the .mo that is
# shipped as package data. Needs Debian's `gettext` (xgettext, msgmerge, msgfmt).
# tests/test_i18n.py checks that every msgid has a Vietnamese translation and that the .mo is current.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'cli.py' 'cascade/*.py' 'cascade/**/*.py' | sort)
xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=ngettext:1,2 --keyword=pgettext:1c,2 --keyword=N_ \
  --add-comments=TRANSLATORS --no-location --sort-output --package-name=cascade \
  -o cascade/locale/cascade.pot $files
for po in cascade/locale/*/LC_MESSAGES/cascade.po; do
  msgmerge --quiet --update --backup=none --no-fuzzy-matching --sort-output "$po" cascade/locale/cascade.pot
  msgfmt --check --output-file="${po%.po}.mo" "$po"
done
