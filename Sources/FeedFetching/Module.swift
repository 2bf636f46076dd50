// Stage 1 of the pipeline: bounded, defensive HTTP fetching on libcurl.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
