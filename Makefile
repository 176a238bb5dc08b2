# The two commands of the README. Both install what they need first.
.PHONY: run test bench
run:   ## Build and run Trackrecord with demo data on http://127.0.0.1:3000
	@bash scripts/run.sh
test:  ## Run every test; ends with "N passed, N failed"
	@bash scripts/test.sh
bench: ## Print performance figures (sign-ins/s, dashboard latency under a sign-in flood)
	@bash scripts/bench.sh
