// Stage 2 of the pipeline: RSS/Atom/RDF/JSON Feed parsing on libxml2.
// (module marker; the stage's types live in the other files of this folder)
import DyadCore
