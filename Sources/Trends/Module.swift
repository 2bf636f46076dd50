// Stage 5 of the pipeline: time-bucket aggregates and shift detectors.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
