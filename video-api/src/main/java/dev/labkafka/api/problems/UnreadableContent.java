package dev.labkafka.api.problems;

import java.io.IOException;

/**
 * Stored bytes that could not be read while they were being served: the database went
 * away ({@link ApiProblem#DATABASE_UNAVAILABLE}) or part of the file is missing
 * ({@link ApiProblem#CONTENT_DAMAGED}). An {@link IOException}, so that it leaves the
 * copy of the bytes as any failed read does. Before the answer's head is sent it is
 * answered with its problem; after, the connection is closed ({@link BrokenAnswers}): a
 * client never takes a cut-off body for a whole one.
 */
public final class UnreadableContent extends IOException {

	private final transient ProblemException problem;

	private UnreadableContent(String what, ProblemException problem, Throwable cause) {
		super(what + ": " + cause.getMessage(), cause);
		this.problem = problem;
	}

	/** The database could not be reached while {@code what} was read. */
	public static UnreadableContent outage(String what, Throwable cause) {
		return new UnreadableContent(what, ApiProblem.DATABASE_UNAVAILABLE.exception(), cause);
	}

	/**
	 * Part of {@code what} ("The original", "The rendition 720") of the video {@code id}
	 * is missing.
	 */
	public static UnreadableContent damaged(String what, String id, Throwable cause) {
		return new UnreadableContent(what + " of video " + id, ApiProblem.CONTENT_DAMAGED.exception(what, id), cause);
	}

	/** The problem a client gets when the answer has not started yet. */
	public ProblemException problem() {
		return this.problem;
	}

	/** Whether the database was away, rather than the file damaged. */
	public boolean outage() {
		return this.problem.is(ApiProblem.DATABASE_UNAVAILABLE);
	}

}
