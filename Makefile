# orgstack: `make demo` runs the main workflow on the local sandbox; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Graphviz, Chromium and Mermaid for the report (scripts/report-tools.sh): no root needed.
TOOLS  := .cache/tools
TOOLED := $(TOOLS)/.installed-stamp
WITH_TOOLS := PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH" ORGSTACK_TOOLS="$(CURDIR)/$(TOOLS)"

.PHONY: demo test lint typecheck unit screenshots bench reliability examples schema rules-doc iam-actions generated lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

$(TOOLED): scripts/report-tools.sh
	sh scripts/report-tools.sh $(TOOLS)
	touch $@

demo: $(STAMP) $(TOOLED)
	ORGSTACK_TOOLS="$(CURDIR)/$(TOOLS)" PATH="$(CURDIR)/$(BIN):$(CURDIR)/$(TOOLS)/bin:$$PATH" bash scripts/demo.sh

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(TOOLED)
	$(WITH_TOOLS) $(BIN)/pytest

# The report and the SVG diagram of the standard blueprint, as pictures (shown in the README).
screenshots: $(STAMP) $(TOOLED)
	$(WITH_TOOLS) $(BIN)/python -m tests.browser.screenshots docs/images

# Measurements (docs/performance.md, docs/reliability.md); see those files for what they measure.
bench: $(STAMP)
	$(BIN)/python -m bench.run

reliability: $(STAMP)
	$(BIN)/python -m bench.reliability

# Regenerate committed, generated files (tests fail when they are stale).
generated: schema examples rules-doc iam-actions

# Each file is written whole or not at all (a failing command leaves the committed one).
schema: $(STAMP)
	$(BIN)/orgstack schema > schema/orgstack.schema.json.tmp && mv schema/orgstack.schema.json.tmp schema/orgstack.schema.json
	$(BIN)/orgstack schema --plan > schema/plan.schema.json.tmp && mv schema/plan.schema.json.tmp schema/plan.schema.json

iam-actions: $(STAMP)
	$(BIN)/python -m orgstack.flows.actions > src/orgstack/baselines/iam_actions.json.tmp && mv src/orgstack/baselines/iam_actions.json.tmp src/orgstack/baselines/iam_actions.json

rules-doc: $(STAMP)
	$(BIN)/orgstack rules --format markdown > docs/rules.md.tmp && mv docs/rules.md.tmp docs/rules.md

examples: $(STAMP)
	for bp in minimal standard enterprise; do \
	  rm -rf examples/$$bp; \
	  $(BIN)/orgstack init --blueprint $$bp --domain example.com --force \
	    --schema-ref ../../schema/orgstack.schema.json -o examples/$$bp/orgstack.yaml > /dev/null; \
	done

# Refresh the pinned versions CI installs (after changing dependencies in pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^orgstack' > constraints.txt

clean:
	rm -rf $(VENV) .cache .demo .mypy_cache .ruff_cache .pytest_cache
