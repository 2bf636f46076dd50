// The long-running service: scheduler, signals, systemd notify.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
