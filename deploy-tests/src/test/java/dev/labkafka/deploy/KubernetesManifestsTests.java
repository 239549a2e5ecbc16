package dev.labkafka.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.labkafka.messages.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every overlay of {@code deploy/kubernetes}, rendered with {@code kubectl kustomize} and
 * read with fabric8's typed model (operators' resources as generic ones), checked for
 * what the deployment promises: probes on the services' health groups, requests and
 * limits, a locked-down security context, disruption budgets, network policies, and a
 * KEDA trigger, topics and partitions that match the code's. Skipped without kubectl,
 * unless {@code DEPLOY_TESTS=required} (as in CI).
 */
class KubernetesManifestsTests {

	static final Path OVERLAYS = Path.of("..", "deploy", "kubernetes", "overlays");

	/**
	 * The most memory one ffmpeg encode of a 1080p rendition of a 1080p source took here
	 * with two threads (maximum resident set, {@code /usr/bin/time -v}, the worker's
	 * command line: 298 MiB), rounded up. With ffmpeg's own choice of threads it grows
	 * with the node's processors, so the overlays that encode must bound them.
	 */
	static final long FFMPEG_1080P_ENCODE = 384L << 20;

	/** The threads per encode {@link #FFMPEG_1080P_ENCODE} was measured with. */
	static final int FFMPEG_THREADS = 2;

	/**
	 * What a worker's JVM uses beside its heap (metaspace, threads, buffers), rounded up.
	 */
	static final long JVM_BESIDE_HEAP = 384L << 20;

	/** Where KEDA runs: deploy/kubernetes/README.md asks for it there. */
	static final String KEDA_NAMESPACE = "keda";

	/** Rendition consumers per worker pod, as the overlays configure it. */
	static final String CONCURRENCY = "VIDEO_STREAM_RENDITION_CONCURRENCY";

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void servicesAreProbedLimitedAndLockedDown(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		for (String name : List.of("video-api", "video-stream")) {
			Deployment deployment = find(resources, Deployment.class, name);
			PodSpec pod = deployment.getSpec().getTemplate().getSpec();
			assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
			assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
			Container container = pod.getContainers().get(0);
			// The health groups on the application's own port (Spring Boot's additional
			// paths), which answers even when the actuator has a port of its own.
			assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
			assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
			assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/livez");
			for (Probe probe : List.of(container.getReadinessProbe(), container.getLivenessProbe(),
					container.getStartupProbe())) {
				assertThat(containerPort(container, probe.getHttpGet().getPort()))
					.as("%s probes a port it declares", name)
					.isPresent();
			}
			assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
			assertThat(container.getResources().getLimits()).containsKey("memory");
			assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
			assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
			assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
			assertThat(container.getVolumeMounts())
				.anySatisfy((mount) -> assertThat(mount.getMountPath()).as("a writable /tmp on a read-only root")
					.isEqualTo("/tmp"));
			assertThat(pod.getVolumes()).as("scratch space has a size limit")
				.allSatisfy((volume) -> assertThat(volume.getEmptyDir().getSizeLimit()).isNotNull());
			assertThat(container.getEnvFrom()).as("config from a ConfigMap")
				.anySatisfy((source) -> assertThat(source.getConfigMapRef().getName()).startsWith(name));
			EnvVar password = env(container, "MONGODB_PASSWORD");
			assertThat(password.getValueFrom().getSecretKeyRef()).as("secrets from a Secret").isNotNull();
			assertThat(find(resources, PodDisruptionBudget.class, name).getSpec().getSelector().getMatchLabels())
				.isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void onlyTheApiIsReachableFromOutside(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		NetworkPolicy denyAll = find(resources, NetworkPolicy.class, "default-deny-ingress");
		assertThat(denyAll.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
		assertThat(denyAll.getSpec().getIngress()).isNullOrEmpty();
		List<NetworkPolicy> open = resources.stream()
			.filter(NetworkPolicy.class::isInstance)
			.map(NetworkPolicy.class::cast)
			.filter((policy) -> policy.getSpec().getIngress() != null && policy.getSpec()
				.getIngress()
				.stream()
				.anyMatch((rule) -> rule.getFrom() == null || rule.getFrom().isEmpty()))
			.toList();
		assertThat(open).as("policies that let anyone in")
			.singleElement()
			.satisfies((policy) -> assertThat(policy.getSpec().getPodSelector().getMatchLabels())
				.containsEntry("app.kubernetes.io/name", "video-api"));
		Service api = find(resources, Service.class, "video-api");
		assertThat(api.getSpec().getPorts()).extracting((port) -> port.getPort())
			.containsExactlyInAnyOrder(10080, 8080);
		Ingress ingress = find(resources, Ingress.class, "video-api");
		assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
			.isEqualTo("video-api");
		assertThat(find(resources, HorizontalPodAutoscaler.class, "video-api").getSpec()
			.getMetrics()
			.get(0)
			.getResource()
			.getName()).isEqualTo("cpu");
		Map<String, Object> listener = list(spec(find(resources, "Kafka", "video-kafka"), "kafka", "listeners")).get(0);
		List<Map<String, Object>> peers = list(listener.get("networkPolicyPeers"));
		assertThat(peers).as("Kafka reachable by the services (and KEDA) only")
			.isNotEmpty()
			.allSatisfy((peer) -> assertThat(peer.values()).singleElement()
				.satisfies(
						(selector) -> assertThat((Map<?, ?>) ((Map<?, ?>) selector).get("matchLabels")).isNotEmpty()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void kedaScalesTheWorkerOnItsRenditionGroupWithinThePartitions(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		GenericKubernetesResource scaled = find(resources, "ScaledObject", "video-stream");
		Map<String, Object> trigger = list(spec(scaled, "triggers")).get(0);
		assertThat(trigger.get("type")).isEqualTo("kafka");
		@SuppressWarnings("unchecked")
		Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
		assertThat(metadata.get("consumerGroup")).isEqualTo(Topics.RENDITIONS_GROUP);
		assertThat(metadata.get("topic")).isEqualTo(Topics.RENDITIONS);
		// KEDA's operator resolves names in its own namespace.
		assertThat(metadata.get("bootstrapServers")).as("the brokers' namespace-qualified name")
			.isEqualTo(find(resources, "Kafka", "video-kafka").getMetadata().getName() + "-kafka-bootstrap."
					+ scaled.getMetadata().getNamespace() + ".svc:9092");
		int perPod = Integer.parseInt(configValue(resources, "video-stream", CONCURRENCY));
		int maxPods = ((Number) spec(scaled, "maxReplicaCount")).intValue();
		assertThat(maxPods * perPod).as("rendition consumers at most")
			.isLessThanOrEqualTo(Topics.RENDITIONS_PARTITIONS);
		assertThat(((Number) spec(scaled, "minReplicaCount")).intValue()).as("the fan-out always runs").isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void topicsHaveThePartitionsOfTheCode(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		Map<String, Integer> partitions = Map.of(Topics.VIDEOS, Topics.VIDEOS_PARTITIONS, Topics.RENDITIONS,
				Topics.RENDITIONS_PARTITIONS, Topics.PROGRESS, Topics.PROGRESS_PARTITIONS,
				Topics.deadLetters(Topics.VIDEOS), 1, Topics.deadLetters(Topics.RENDITIONS),
				Topics.RENDITIONS_PARTITIONS);
		partitions.forEach((topic,
				count) -> assertThat(((Number) spec(find(resources, "KafkaTopic", topic), "partitions")).intValue())
					.as(topic)
					.isEqualTo(count));
		assertThat(configValue(resources, "video-api", "SPRING_KAFKA_BOOTSTRAP_SERVERS"))
			.startsWith(find(resources, "Kafka", "video-kafka").getMetadata().getName() + "-kafka-bootstrap:");
		assertThat(configValue(resources, "video-api", "SERVER_FORWARD_HEADERS_STRATEGY"))
			.as("behind the Ingress, a client is its forwarded address")
			.isEqualTo("native");
	}

	@ParameterizedTest
	@ValueSource(strings = { "production" })
	void productionReplicatesKafkaAndMongoAndWritesWithMajority(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		assertThat(resources).as("no generated password: the Secret is made outside")
			.noneMatch((resource) -> resource.getKind().equals("Secret"));
		assertThat(((Number) spec(find(resources, "KafkaNodePool", "dual-role"), "replicas")).intValue()).isEqualTo(3);
		@SuppressWarnings("unchecked")
		Map<String, Object> config = (Map<String, Object>) spec(find(resources, "Kafka", "video-kafka"), "kafka",
				"config");
		assertThat(config).containsEntry("default.replication.factor", 3)
			.containsEntry("min.insync.replicas", 2)
			.containsEntry("transaction.state.log.replication.factor", 3);
		resources.stream().filter((resource) -> resource.getKind().equals("KafkaTopic")).forEach((topic) -> {
			assertThat(((Number) spec((GenericKubernetesResource) topic, "replicas")).intValue()).isEqualTo(3);
			assertThat(spec((GenericKubernetesResource) topic, "config", "min.insync.replicas")).isEqualTo(2);
		});
		assertThat(((Number) spec(find(resources, "MongoDBCommunity", "video-mongodb"), "members")).intValue())
			.isEqualTo(3);
		for (String name : List.of("video-api", "video-stream")) {
			Container container = container(resources, name);
			assertThat(env(container, "SPRING_MONGODB_URI").getValue()).as(name)
				.contains("replicaSet=video-mongodb")
				.contains("w=majority");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void everyReferenceFindsWhatItNames(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		Deployment apiDeployment = find(resources, Deployment.class, "video-api");
		Container api = container(resources, "video-api");
		Service service = find(resources, Service.class, "video-api");
		assertThat(apiDeployment.getSpec().getTemplate().getMetadata().getLabels()).as("the Service's pods")
			.containsAllEntriesOf(service.getSpec().getSelector());
		service.getSpec()
			.getPorts()
			.forEach((port) -> assertThat(containerPort(api, port.getTargetPort())).as("target of %s", port.getName())
				.isPresent());
		find(resources, Ingress.class, "video-api").getSpec()
			.getRules()
			.forEach((rule) -> rule.getHttp().getPaths().forEach((path) -> {
				var backend = path.getBackend().getService();
				assertThat(find(resources, Service.class, backend.getName()).getSpec().getPorts())
					.as("the Ingress's backend port")
					.anySatisfy((port) -> assertThat(
							(backend.getPort().getName() != null) ? backend.getPort().getName().equals(port.getName())
									: backend.getPort().getNumber().equals(port.getPort()))
						.isTrue());
			}));
		assertThat(find(resources, HorizontalPodAutoscaler.class, "video-api").getSpec().getScaleTargetRef().getName())
			.isEqualTo("video-api");
		Map<?, ?> target = (Map<?, ?>) spec(find(resources, "ScaledObject", "video-stream"), "scaleTargetRef");
		assertThat(find(resources, Deployment.class, (String) target.get("name"))).as("KEDA's target").isNotNull();
		for (String autoscaled : List.of("video-api", (String) target.get("name"))) {
			assertThat(find(resources, Deployment.class, autoscaled).getSpec().getReplicas())
				.as("%s's replicas are the autoscaler's: an apply must not reset them", autoscaled)
				.isNull();
		}
		// Strimzi: KafkaTopics take effect through the topic operator; KRaft's metadata
		// lives on the nodes' volume; KEDA (in its namespace) may read the lag.
		assertThat(spec(find(resources, "Kafka", "video-kafka"), "entityOperator", "topicOperator")).isNotNull();
		assertThat(list(spec(find(resources, "KafkaNodePool", "dual-role"), "storage", "volumes")))
			.anySatisfy((volume) -> assertThat(volume).containsEntry("kraftMetadata", "shared"));
		Map<String, Object> listener = list(spec(find(resources, "Kafka", "video-kafka"), "kafka", "listeners")).get(0);
		assertThat(list(listener.get("networkPolicyPeers"))).as("KEDA's namespace among Kafka's peers")
			.anySatisfy((peer) -> assertThat(peer).containsEntry("namespaceSelector",
					Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", KEDA_NAMESPACE))));
		// Every disruption budget and network policy selects pods this overlay makes.
		List<Map<String, String>> pods = podLabels(resources);
		resources.stream()
			.filter(PodDisruptionBudget.class::isInstance)
			.map(PodDisruptionBudget.class::cast)
			.forEach((budget) -> assertThat(pods).as(budget.getMetadata().getName())
				.anySatisfy((labels) -> assertThat(labels)
					.containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels())));
		resources.stream()
			.filter(NetworkPolicy.class::isInstance)
			.map(NetworkPolicy.class::cast)
			.filter((policy) -> policy.getSpec().getPodSelector().getMatchLabels() != null)
			.forEach((policy) -> assertThat(pods).as(policy.getMetadata().getName())
				.anySatisfy((labels) -> assertThat(labels)
					.containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels())));
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void theActuatorIsReachableByProbesAndPrometheusButNotThroughTheIngress(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		Container api = container(resources, "video-api");
		int management = Integer.parseInt(configValue(resources, "video-api", "MANAGEMENT_SERVER_PORT"));
		assertThat(api.getPorts()).as("the actuator's port, declared")
			.anySatisfy((port) -> assertThat(port.getContainerPort()).isEqualTo(management));
		Service service = find(resources, Service.class, "video-api");
		assertThat(service.getSpec().getPorts()).as("ports the Service (and so the Ingress) reaches")
			.allSatisfy((port) -> assertThat(containerPort(api, port.getTargetPort())).isPresent()
				.get()
				.isNotEqualTo(management));
		assertThat(containerPort(api, api.getReadinessProbe().getHttpGet().getPort()))
			.as("probes ask the port that serves requests")
			.isEqualTo(containerPort(api, service.getSpec().getPorts().get(0).getTargetPort()));
		List<NetworkPolicy> letIn = resources.stream()
			.filter(NetworkPolicy.class::isInstance)
			.map(NetworkPolicy.class::cast)
			.filter((policy) -> "video-api"
				.equals(policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))
			.toList();
		assertThat(letIn.stream().flatMap((policy) -> policy.getSpec().getIngress().stream()))
			.filteredOn((rule) -> rule.getPorts().stream().anyMatch((port) -> port.getPort().getIntVal() == management))
			.as("who reaches the actuator")
			.singleElement()
			.satisfies((rule) -> assertThat(rule.getFrom()).singleElement()
				.satisfies((peer) -> assertThat(peer.getNamespaceSelector().getMatchLabels())
					.containsEntry("kubernetes.io/metadata.name", "monitoring")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev", "production" })
	void theWorkerScalesInGentlyAndItsHeapLeavesRoomForFfmpeg(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		Map<?, ?> scaleDown = (Map<?, ?>) spec(find(resources, "ScaledObject", "video-stream"), "advanced",
				"horizontalPodAutoscalerConfig", "behavior", "scaleDown");
		assertThat(((Number) scaleDown.get("stabilizationWindowSeconds")).intValue()).isGreaterThanOrEqualTo(300);
		assertThat(list(scaleDown.get("policies"))).singleElement()
			.satisfies((policy) -> assertThat(policy).containsEntry("type", "Pods").containsEntry("value", 1));
		Container worker = container(resources, "video-stream");
		long limit = Quantity.getAmountInBytes(worker.getResources().getLimits().get("memory")).longValue();
		String options = configValue(resources, "video-stream", "JAVA_TOOL_OPTIONS");
		Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
		assertThat(percentage.find()).as(options).isTrue();
		long heap = limit * Long.parseLong(percentage.group(1)) / 100;
		boolean ffmpeg = "ffmpeg".equals(configValue(resources, "video-stream", "VIDEO_STREAM_TRANSCODER"));
		int encodes = ffmpeg ? Integer.parseInt(configValue(resources, "video-stream", CONCURRENCY)) : 0;
		if (ffmpeg) {
			assertThat(Integer.parseInt(configValue(resources, "video-stream", "VIDEO_STREAM_MEDIA_THREADS")))
				.as("threads per encode, bounded whatever the node's size")
				.isLessThanOrEqualTo(FFMPEG_THREADS);
		}
		assertThat(limit - heap).as("memory beside the heap, for %s encodes and the JVM's own", encodes)
			.isGreaterThanOrEqualTo(encodes * FFMPEG_1080P_ENCODE + JVM_BESIDE_HEAP);
	}

	@ParameterizedTest
	@ValueSource(strings = { "production" })
	void productionSpreadsKafkaAndMongoOverNodes(String overlay) throws Exception {
		List<HasMetadata> resources = render(overlay);

		Map<String, Object> spread = list(
				spec(find(resources, "KafkaNodePool", "dual-role"), "template", "pod", "topologySpreadConstraints"))
			.get(0);
		assertThat(spread).containsEntry("whenUnsatisfiable", "DoNotSchedule")
			.containsEntry("topologyKey", "kubernetes.io/hostname");
		assertThat(list(spec(find(resources, "MongoDBCommunity", "video-mongodb"), "statefulSet", "spec", "template",
				"spec", "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution")))
			.singleElement()
			.satisfies((term) -> assertThat(term).containsEntry("topologyKey", "kubernetes.io/hostname"));
		assertThat(
				find(resources, PodDisruptionBudget.class, "video-mongodb").getSpec().getMaxUnavailable().getIntVal())
			.as("a majority of 3 stays up")
			.isOne();
	}

	/** The labels of every pod the overlay makes, operators' pods included. */
	static List<Map<String, String>> podLabels(List<HasMetadata> resources) {
		List<Map<String, String>> pods = new ArrayList<>();
		resources.stream()
			.filter(Deployment.class::isInstance)
			.map(Deployment.class::cast)
			.forEach((deployment) -> pods.add(deployment.getSpec().getTemplate().getMetadata().getLabels()));
		// The MongoDB operator labels its pods app: <name>-svc; Strimzi labels the nodes
		// with their cluster and pool.
		resources.stream()
			.filter((resource) -> resource.getKind().equals("MongoDBCommunity"))
			.forEach((mongo) -> pods.add(Map.of("app", mongo.getMetadata().getName() + "-svc")));
		resources.stream()
			.filter((resource) -> resource.getKind().equals("KafkaNodePool"))
			.forEach((pool) -> pods
				.add(Map.of("strimzi.io/cluster", pool.getMetadata().getLabels().get("strimzi.io/cluster"),
						"strimzi.io/pool-name", pool.getMetadata().getName())));
		return pods;
	}

	/**
	 * The number of the container's port that a probe or a Service names (by name or
	 * number).
	 */
	static Optional<Integer> containerPort(Container container, IntOrString port) {
		return container.getPorts()
			.stream()
			.filter((declared) -> (port.getIntVal() != null) ? port.getIntVal().equals(declared.getContainerPort())
					: port.getStrVal().equals(declared.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst();
	}

	/** The overlay as {@code kubectl kustomize} renders it, read with fabric8's model. */
	static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
		boolean required = "required".equals(System.getenv("DEPLOY_TESTS"));
		Path out = Files.createTempFile("kustomize-" + overlay, ".yaml");
		try {
			Process kubectl;
			try {
				kubectl = new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString())
					.redirectOutput(out.toFile())
					.redirectError(ProcessBuilder.Redirect.INHERIT)
					.start();
			}
			catch (IOException ex) {
				Assumptions.assumeFalse(!required, "kubectl is not installed");
				throw ex;
			}
			assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(kubectl.exitValue()).as("kubectl kustomize " + overlay).isZero();
			String yaml = Files.readString(out, StandardCharsets.UTF_8);
			KubernetesSerialization serialization = new KubernetesSerialization();
			return Stream.of(yaml.split("(?m)^---$"))
				.filter((document) -> !document.isBlank())
				.map((document) -> (HasMetadata) serialization.unmarshal(document))
				.toList();
		}
		finally {
			Files.deleteIfExists(out);
		}
	}

	static <T extends HasMetadata> T find(List<HasMetadata> resources, Class<T> type, String name) {
		return resources.stream()
			.filter(type::isInstance)
			.map(type::cast)
			.filter((resource) -> resource.getMetadata().getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
	}

	/** The (only) container of the Deployment {@code name}. */
	static Container container(List<HasMetadata> resources, String name) {
		return find(resources, Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
	}

	static GenericKubernetesResource find(List<HasMetadata> resources, String kind, String name) {
		return resources.stream()
			.filter(GenericKubernetesResource.class::isInstance)
			.map(GenericKubernetesResource.class::cast)
			.filter((resource) -> resource.getKind().equals(kind) && resource.getMetadata().getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " " + name));
	}

	@SuppressWarnings("unchecked")
	static Object spec(GenericKubernetesResource resource, String... path) {
		Object value = resource.getAdditionalProperties().get("spec");
		for (String key : path) {
			value = ((Map<String, Object>) value).get(key);
		}
		return value;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

	static EnvVar env(Container container, String name) {
		return container.getEnv()
			.stream()
			.filter((variable) -> variable.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " in " + container.getName()));
	}

	/** A value of the service's ConfigMap (kustomize names it with a hash suffix). */
	static String configValue(List<HasMetadata> resources, String service, String key) {
		return resources.stream()
			.filter(io.fabric8.kubernetes.api.model.ConfigMap.class::isInstance)
			.map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
			.filter((map) -> map.getMetadata().getName().startsWith(service + "-"))
			.map((map) -> map.getData().get(key))
			.filter((value) -> value != null)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + key + " for " + service));
	}

}
