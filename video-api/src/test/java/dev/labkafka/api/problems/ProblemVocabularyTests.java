package dev.labkafka.api.problems;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.labkafka.api.ApiIntegrationTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problems' one vocabulary: every {@link ApiProblem} is thrown by the code (an access
 * to its constant outside the enum and the code that documents it, found in the compiled
 * classes) and documented in the OpenAPI description, on an operation or as one any
 * request may get, and every problem the description documents is one of them, with its
 * status, title and type; each type is a page of the API.
 */
class ProblemVocabularyTests extends ApiIntegrationTests {

	static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.labkafka.api");

	@Test
	void everyProblemIsOneTheCodeCanProduce() {
		JavaClass problems = classes.get(ApiProblem.class);
		Set<String> produced = Arrays.stream(ApiProblem.values())
			.filter((problem) -> problems.getField(problem.name())
				.getAccessesToSelf()
				.stream()
				.anyMatch((access) -> !access.getOriginOwner().isEquivalentTo(ApiProblem.class)
						&& !access.getOriginOwner().isEquivalentTo(ProblemDocs.class)))
			.map(ApiProblem::name)
			.collect(Collectors.toCollection(TreeSet::new));

		assertThat(produced).as("problems some code throws")
			.containsExactlyInAnyOrderElementsOf(names(EnumSet.allOf(ApiProblem.class)));
	}

	@Test
	void documentsEveryProblemAndOnlyThese() {
		JsonNode document = json.readTree(this.http.get().uri("/v3/api-docs").retrieve().body(String.class));
		Set<String> documented = new TreeSet<>();
		document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			operation.getValue().get("responses").properties().forEach((response) -> {
				JsonNode examples = response.getValue().path("content").path(ProblemDocs.PROBLEM_JSON).path("examples");
				examples.properties().forEach((example) -> {
					ApiProblem problem = ApiProblem.named(example.getKey()).orElse(null);
					assertThat(problem).as("%s %s documents %s", operation.getKey(), path.getKey(), example.getKey())
						.isNotNull();
					assertThat(response.getKey()).isEqualTo(Integer.toString(problem.status().value()));
					JsonNode value = example.getValue().get("value");
					assertThat(value.get("title").asString()).isEqualTo(problem.title());
					assertThat(value.get("type").asString()).endsWith(problem.type().toString());
					documented.add(problem.name());
				});
			});
		}));
		String description = document.get("info").get("description").asString();
		for (ApiProblem problem : ApiProblem.values()) {
			if (problem.anyRequest()) {
				assertThat(description).contains(problem.title(), problem.type().toString());
				documented.add(problem.name());
			}
		}

		assertThat(documented).containsExactlyInAnyOrderElementsOf(names(EnumSet.allOf(ApiProblem.class)));
	}

	@Test
	void answersWithTheTypeAsAPageOfTheApi() {
		ResponseEntity<String> notFound = this.http.get()
			.uri("/v1/videos/6650a1f2c3d4e5f6a7b8c9d0")
			.retrieve()
			.toEntity(String.class);
		JsonNode problem = json.readTree(notFound.getBody());
		assertThat(problem.get("type").asString()).isEqualTo("http://localhost:10080/problems/video-not-found");
		assertThat(problem.get("title").asString()).isEqualTo("Video not found");

		ResponseEntity<String> type = this.http.get()
			.uri("/problems/video-not-found")
			.retrieve()
			.toEntity(String.class);
		assertThat(type.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(json.readTree(type.getBody()).get("status").asInt()).isEqualTo(404);
		assertThat(this.http.get().uri("/problems/no-such-thing").retrieve().toEntity(String.class).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	private static Set<String> names(Set<ApiProblem> problems) {
		return problems.stream().map(ApiProblem::name).collect(Collectors.toCollection(TreeSet::new));
	}

}
