// Stage 6 of the pipeline: alert delivery and trend files.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
