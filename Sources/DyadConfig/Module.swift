// feeds.conf loading and validation.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
