// train::Checkpoint: saves and restores named objects (Trackables: models, layers, optimizers;
// and plain Variables) by object path, like tf.train.Checkpoint.
//
// save(prefix) writes the numbered checkpoint "<prefix>ckpt-N" when prefix ends in '/' (a
// directory), else "<prefix>-N" (TF's form); N is the save counter, itself saved as
// "save_counter" so numbering continues after a restore. The directory's "checkpoint" state
// file then names it the latest (train::latest_checkpoint). Files: see checkpoint_files.h;
// every one is written atomically, so a crash mid-save leaves the previous checkpoint whole.
//
// restore(path) verifies the weights' checksum, then matches every saved entry against the
// objects: names, shapes and dtypes. Every missing, unexpected or mismatched entry is listed in
// one duet::Error, and nothing changes when it throws. Entries under an object that has no
// variables and no children yet (a model before its first call) are handed to it with
// Trackable::DeferRestore and assigned when the variables are created.
//
// The Checkpoint keeps pointers to the Trackables: they must outlive it.
// Example:
//   Variable x(constant(10.f), "x");
//   train::Checkpoint ckpt({{"model", model}, {"x", x}});
//   std::string path = ckpt.save("ckpt/");   // "ckpt/ckpt-1"
//   x.assign(2.f);
//   ckpt.restore(path);                       // x == 10, model's variables back as saved
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "api/train/trackable.h"
#include "eager/variable.h"
#include "runtime/error.h"

namespace duet::train {

class Checkpoint {
 public:
  // One named object: a Trackable (kept by pointer) or a Variable (a shared handle).
  struct Item {
    Item(std::string name, Trackable& object) : name(std::move(name)), object(&object) {}
    Item(std::string name, const Variable& variable) : name(std::move(name)), variable(variable) {}
    std::string name;
    Trackable* object = nullptr;
    Variable variable;
  };

  // Names must be unique, non-empty, without '/', and not "save_counter".
  explicit Checkpoint(std::initializer_list<Item> items, const Loc& loc = Loc::current());
  explicit Checkpoint(std::vector<Item> items, const Loc& loc = Loc::current());

  // Writes the next numbered checkpoint and returns its path.
  std::string save(const std::string& prefix, const Loc& loc = Loc::current());
  // Writes exactly `path` (path.index + path.safetensors): no numbering, no state file.
  std::string write(const std::string& path, const Loc& loc = Loc::current());
  // Restores `path`; an empty path (no checkpoint yet: latest_checkpoint found none) does nothing
  // and returns false, as TF's restore(None).
  bool restore(const std::string& path, const Loc& loc = Loc::current());

  // What save writes: every variable by object path, the save counter last.
  std::vector<std::pair<std::string, Variable>> variables(const Loc& loc = Loc::current()) const;
  // The number of saves so far (int64 scalar Variable).
  const Variable& save_counter() const { return save_counter_; }

 private:
  std::vector<Item> items_;
  Variable save_counter_;
};

// The latest checkpoint recorded in `dir`'s state file, as a path to restore; "" when there is
// none (no state file, or the checkpoint it names is gone). A corrupt state file throws.
std::string latest_checkpoint(const std::string& dir, const Loc& loc = Loc::current());

}  // namespace duet::train
