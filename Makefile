# A thin wrapper over the Maven wrapper and docker compose. `make help` lists the targets.
MVNW := ./mvnw
MVN_FLAGS := -B -q
JAVA ?= java

# The runnable jars, rebuilt when a source or a POM changes.
SOURCES := $(shell find pom.xml common-messages video-document kafka-admin local-stack video-api video-stream pipeline-processes benchmark -path '*/target' -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -print 2>/dev/null)
BUILT := target/jars.stamp

.PHONY: help bench bench-segments build run kafka mongo api stream test fault-test mutation screenshot module-docs compose-check k8s-check image up down logs clean clean-data

help:
	@echo "make run         build, then run Kafka, MongoDB-wire, video-api and video-stream (Ctrl-C stops all)"
	@echo "make test        run every test (needs only a JDK 17+)"
	@echo "make fault-test  only the fault tests: the pipeline as processes, under faults (see docs/reliability.md)"
	@echo "make screenshot  take the README's picture of the web page (docs/web-page.png) in Chromium"
	@echo "make module-docs draw each service's module diagrams again (docs/modules, from the code; make test checks them)"
	@echo "make mutation    mutation testing (PIT) of the services' core packages; reports in */target/pit-reports"
	@echo "make kafka|mongo|api|stream   run one part alone in the foreground"
	@echo "make bench       measure latency, batch makespan, uploads, memory, scale-out, a soak; writes docs/benchmarks.md"
	@echo "                 (make bench ARGS=--quick: a short run of a few minutes, report in target/bench-quick;"
	@echo "                 ARGS=--soak-only: only the 60 s soak test, its figures into the report, the others kept;"
	@echo "                 ARGS=--scale-only: only the batches with 1, 2 and 4 workers, likewise;"
	@echo "                 ARGS=--latency-only: only the first video after ready and five after it, likewise;"
	@echo "                 ARGS=--uploads-only: only the upload path (multipart, tus, raw GridFS), likewise;"
	@echo "                 ARGS=--soak-after-uploads: the soak fresh and again after 5 GB uploaded and deleted, likewise;"
	@echo "                 ARGS=--ffmpeg-only: only the real renditions (ffmpeg), likewise;"
	@echo "                 ARGS=--segments-only, or make bench-segments: only a long video in segments, likewise;"
	@echo "                 with --segments-clip-seconds N (default 180) and --segments-length N (default 20))"
	@echo "make build       build the runnable jars"
	@echo "make image       build the container images;  make up / down / logs  wrap docker compose"
	@echo "make compose-check  validate docker-compose.yml with a real parser (no engine needed)"
	@echo "make k8s-check   render deploy/kubernetes (kubectl kustomize) and check the manifests (no cluster needed)"
	@echo "make clean       remove build output;  make clean-data  remove the local stack's data (.data/)"

build: $(BUILT)

$(BUILT): $(SOURCES)
	$(MVNW) $(MVN_FLAGS) -DskipTests -Dspring-javaformat.skip=true -pl local-stack,video-api,video-stream,benchmark -am package
	@mkdir -p target && touch $@

export JAVA

run: $(BUILT)
	scripts/run-local.sh

kafka: $(BUILT)
	$(JAVA) -Xmx512m -jar local-stack/target/local-stack-exec.jar kafka

mongo: $(BUILT)
	$(JAVA) -Xmx2g -jar local-stack/target/local-stack-exec.jar mongo

api: $(BUILT)
	$(JAVA) -Xmx512m -jar video-api/target/video-api-exec.jar

stream: $(BUILT)
	$(JAVA) -Xmx512m -jar video-stream/target/video-stream-exec.jar

test:
	$(MVNW) -B verify

bench: $(BUILT)
	$(JAVA) -jar benchmark/target/benchmark-exec.jar $(ARGS)

bench-segments: $(BUILT)
	$(JAVA) -jar benchmark/target/benchmark-exec.jar --segments-only $(ARGS)

fault-test:
	$(MVNW) -B verify -pl fault-tests -am -Dtest=FaultTests,SegmentFaultTests -Dsurefire.failIfNoSpecifiedTests=false
	@cat fault-tests/target/fault-report.md

screenshot:
	$(MVNW) -B verify -pl browser-tests -am -Dtest=WebPageBrowserTests#uploadShowsItsProgress* \
		-Dsurefire.failIfNoSpecifiedTests=false -Dscreenshot=$(CURDIR)/docs/web-page.png

module-docs:
	$(MVNW) -B -q install -DskipTests -Dspring-javaformat.skip=true -pl video-api,video-stream -am
	$(MVNW) -B verify -pl video-api,video-stream -Dtest=ModularityTests -Dsurefire.failIfNoSpecifiedTests=false \
		-Dmodule-docs.write=true

mutation:
	$(MVNW) -B -Dspring-javaformat.skip=true -pl video-api,video-stream -am test-compile org.pitest:pitest-maven:mutationCoverage
	@echo "Reports: video-api/target/pit-reports/index.html and video-stream/target/pit-reports/index.html"

k8s-check:
	@for dir in deploy/kubernetes/base deploy/kubernetes/overlays/*/; do \
		kubectl kustomize "$$dir" >/dev/null || exit 1; echo "$$dir renders"; done
	DEPLOY_TESTS=required $(MVNW) -B -q verify -pl deploy-tests -am -Dtest=KubernetesManifestsTests -Dsurefire.failIfNoSpecifiedTests=false

compose-check:
	@if docker compose version >/dev/null 2>&1; then docker compose config -q; else docker-compose config -q; fi
	@echo "docker-compose.yml is valid"

image:
	docker build --build-arg SERVICE=video-api -t video-pipeline/video-api:latest .
	docker build --build-arg SERVICE=video-stream -t video-pipeline/video-stream:latest .

up:
	docker compose up --build -d
	@echo "API: http://localhost:10080   Web page: http://localhost:8080   Prometheus: http://localhost:9090"

down:
	docker compose down

logs:
	docker compose logs -f

clean:
	$(MVNW) $(MVN_FLAGS) clean
	rm -rf target

clean-data:
	rm -rf .data
