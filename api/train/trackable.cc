#include "api/train/trackable.h"

namespace duet::train {

bool Trackable::accepts_deferred(const std::string&) const {
  return tracked_variables().empty() && tracked_children().empty();
}

void Trackable::DeferRestore(std::map<std::string, Tensor> values) {
  for (auto& [path, value] : values) deferred_[path] = std::move(value);
}

void Trackable::OnVariableCreated(const std::string& name, Variable& variable) {
  auto it = deferred_.find(name);
  if (it == deferred_.end()) return;
  variable.assign(it->second);  // shape/dtype were checked when the checkpoint was read
  deferred_.erase(it);
}

void Trackable::OnChildTracked(const std::string& name, Trackable& child) {
  const std::string prefix = name + "/";
  std::map<std::string, Tensor> mine;
  for (auto it = deferred_.lower_bound(prefix);
       it != deferred_.end() && it->first.rfind(prefix, 0) == 0;) {
    mine[it->first.substr(prefix.size())] = std::move(it->second);
    it = deferred_.erase(it);
  }
  if (!mine.empty()) child.DeferRestore(std::move(mine));
}

}  // namespace duet::train
