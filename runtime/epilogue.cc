#include "runtime/epilogue.h"

#include <map>
#include <mutex>
#include <utility>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// Keyed by (device, op name): registrations run before main() in any order relative to the
// op definitions, so names are resolved when asked, not when registered.
struct Tables {
  std::mutex mu;
  std::map<std::pair<DeviceType, std::string>, std::string> fused_forms;
  std::map<std::pair<DeviceType, std::string>, EpilogueStep> steps;
};

Tables& tables() {
  static Tables* t = new Tables;  // never destroyed: asked from static destructors too
  return *t;
}

}  // namespace

void RegisterFusedForm(DeviceType device, std::string_view producer, std::string_view fused) {
  Tables& t = tables();
  std::lock_guard<std::mutex> lock(t.mu);
  t.fused_forms[{device, std::string(producer)}] = std::string(fused);
}

void RegisterEpilogueStep(DeviceType device, std::string_view op, EpilogueStep step) {
  Tables& t = tables();
  std::lock_guard<std::mutex> lock(t.mu);
  t.steps[{device, std::string(op)}] = step;
}

const OpDef* FusedFormOf(DeviceType device, const OpDef& producer) {
  Tables& t = tables();
  std::string fused;
  {
    std::lock_guard<std::mutex> lock(t.mu);
    auto it = t.fused_forms.find({device, producer.name});
    if (it == t.fused_forms.end()) return nullptr;
    fused = it->second;
  }
  return OpRegistry::Get().Find(fused);
}

std::optional<EpilogueStep> EpilogueStepOf(DeviceType device, const OpDef& op) {
  Tables& t = tables();
  std::lock_guard<std::mutex> lock(t.mu);
  auto it = t.steps.find({device, op.name});
  if (it == t.steps.end()) return std::nullopt;
  return it->second;
}

std::string JoinEpilogue(const std::vector<std::string>& steps) {
  return absl::StrJoin(steps, ",");
}

std::vector<std::string> SplitEpilogue(std::string_view epilogue) {
  if (epilogue.empty()) return {};
  std::vector<std::string> out;
  for (absl::string_view s :
       absl::StrSplit(absl::string_view(epilogue.data(), epilogue.size()), ','))
    out.emplace_back(s);
  return out;
}

}  // namespace duet
