# One image recipe for both services:
#   docker build --build-arg SERVICE=video-api -t video-pipeline/video-api .
#   docker build --build-arg SERVICE=video-stream -t video-pipeline/video-stream .
# (make image builds both; docker compose builds them as needed.)

# --- Build: the Maven wrapper, with Maven's repository in a build cache that outlives
# builds, so dependencies are downloaded once and reused while only sources change. ---
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
ARG SERVICE=video-api
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl ${SERVICE} -am -DskipTests -Dspring-javaformat.skip=true package \
 && cp ${SERVICE}/target/${SERVICE}-exec.jar /app.jar

# --- Run: a JRE, a non-root user, memory sized from the container's limit. ---
FROM eclipse-temurin:17-jre
ARG SERVICE=video-api
# The worker probes uploads with ffprobe (metadata, poster frame) and, with
# VIDEO_STREAM_TRANSCODER=ffmpeg, encodes renditions with ffmpeg.
RUN if [ "$SERVICE" = video-stream ]; then \
      apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*; \
    fi
RUN useradd --system --uid 10001 --home-dir /app app
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
USER app
ENV SERVER_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# Ready when the actuator's readiness group is up (the API: MongoDB; the worker: MongoDB, Kafka
# and its consumers in their groups), asked on the application's port (/readyz), which answers
# even when the actuator has a port of its own. bash's /dev/tcp: the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
