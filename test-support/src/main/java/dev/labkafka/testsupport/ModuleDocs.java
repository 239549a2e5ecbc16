package dev.labkafka.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.DiagramOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's module diagrams, made by Spring Modulith's {@link Documenter} from the code
 * (PlantUML, one of all modules and one per module), and the copies of them in the
 * project's {@code docs/modules/<service>/}, each beside an SVG picture of it. A test
 * checks that the copies are the code's; {@code make module-docs} (system property
 * {@value #WRITE}) writes them again.
 */
public final class ModuleDocs {

	/** The system property that writes the copies instead of checking them. */
	public static final String WRITE = "module-docs.write";

	private final ApplicationModules modules;

	private final Path docs;

	/**
	 * @param modules the service's modules
	 * @param service the service's name: its folder under {@code docs/modules}
	 */
	public ModuleDocs(ApplicationModules modules, String service) {
		this.modules = modules;
		this.docs = Path.of("..", "docs", "modules", service);
	}

	/** Checks the copies against the code, or writes them when asked to. */
	public void checkOrWrite() throws IOException {
		Path made = Path.of("target", "spring-modulith-docs");
		DiagramOptions options = DiagramOptions.defaults().withStyle(DiagramOptions.DiagramStyle.UML);
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder(made.toString()))
			.writeModulesAsPlantUml(options)
			.writeIndividualModulesAsPlantUml(options);
		List<Path> diagrams = diagrams(made);
		assertThat(diagrams).isNotEmpty();
		if (Boolean.getBoolean(WRITE)) {
			write(diagrams);
			return;
		}
		for (Path diagram : diagrams) {
			Path copy = this.docs.resolve(diagram.getFileName());
			assertThat(copy).as("%s is in docs (make module-docs writes it)", diagram.getFileName()).exists();
			assertThat(lines(copy))
				.as("%s in docs is the code's (make module-docs writes it again)", diagram.getFileName())
				.isEqualTo(lines(diagram));
		}
		assertThat(diagrams(this.docs)).as("no diagram in docs of a module that is gone").hasSameSizeAs(diagrams);
	}

	private void write(List<Path> diagrams) throws IOException {
		Files.createDirectories(this.docs);
		for (Path old : diagrams(this.docs)) {
			Files.delete(old);
			Files.deleteIfExists(svg(old));
		}
		for (Path diagram : diagrams) {
			String source = Files.readString(diagram);
			Path copy = this.docs.resolve(diagram.getFileName());
			Files.writeString(copy, source);
			try (OutputStream out = Files.newOutputStream(svg(copy))) {
				// PlantUML's own layout: no Graphviz needed.
				new SourceStringReader(source.replaceFirst("@startuml", "@startuml\n!pragma layout smetana"))
					.outputImage(out, new FileFormatOption(FileFormat.SVG));
			}
		}
	}

	/**
	 * The diagram's lines in order: the Documenter lists modules and their relations in
	 * an order of its own that may differ from run to run.
	 */
	private static List<String> lines(Path diagram) throws IOException {
		return Files.readAllLines(diagram).stream().sorted().toList();
	}

	private static Path svg(Path diagram) {
		return diagram.resolveSibling(diagram.getFileName().toString().replace(".puml", ".svg"));
	}

	private static List<Path> diagrams(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".puml")).sorted().toList();
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

}
