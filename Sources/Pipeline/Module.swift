// One pipeline for poll, replay and the daemon.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
