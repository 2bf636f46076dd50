// Stage 4 of the pipeline: entities, dyad, stance, tone and frames.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
