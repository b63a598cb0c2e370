# syntax=docker/dockerfile:1
# One image for every service of the pipeline; ROLE picks which one a container runs:
#   init       migrations + topics, then exits (the others wait for it)
#   registry   main_clients_database -> channel.mappings
#   processor  ipn.raw -> payments.enriched (Kafka Streams)
#   sink       payments.enriched -> PostgreSQL, commands.invite / commands.payout
#   gateway    POST /ipn, GET /api/payment-status
# Build one: docker build --build-arg ROLE=gateway -t ipn-pipeline-gateway .

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# the shaded local-stack jar carries every service; tests run in CI (./mvnw -B verify), not in the image build
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl local-stack -am package -DskipTests

FROM eclipse-temurin:17-jre
ARG ROLE=gateway
# The collector. G1 by default: short, steady pauses for the gateway's latency. The processor's build picks the
# parallel collector (docker-compose.yml): batch-shaped work, and 10-15 % more records/s in benchmarks/RESULTS.md.
ARG JAVA_GC=-XX:+UseG1GC
ENV PIPELINE_ROLE=${ROLE} \
    JAVA_GC=${JAVA_GC} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# curl for the compose healthchecks; nothing else is added to the JRE image
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/ipn-pipeline --create-home ipn \
    && install -d -o ipn -g ipn /var/lib/ipn-pipeline/streams
COPY --from=build /src/local-stack/target/ipn-pipeline-local.jar /app/ipn-pipeline.jar
USER ipn
WORKDIR /var/lib/ipn-pipeline
# exec: java replaces the shell as PID 1, so SIGTERM from `docker stop` reaches its shutdown hooks;
# logback-service.xml: the services' buffered one-line-per-IPN output, not the local stack's console
ENTRYPOINT ["sh", "-c", "exec java $JAVA_GC $JAVA_OPTS -Dlogback.configurationFile=logback-service.xml -jar /app/ipn-pipeline.jar service \"$PIPELINE_ROLE\""]
