// Stage 3 of the pipeline: durable feed state and entry de-duplication in SQLite.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
