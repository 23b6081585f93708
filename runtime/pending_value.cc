#include "runtime/pending_value.h"

namespace duet {
namespace {

thread_local const PendingValue* tls_running = nullptr;

}  // namespace

void PendingValue::Finish(absl::Status result) {
  status = std::move(result);
  done.store(true, std::memory_order_release);
  done.notify_all();
}

void PendingValue::Wait() const {
  if (tls_running == this) return;
  while (!done.load(std::memory_order_acquire)) done.wait(false, std::memory_order_acquire);
}

void AwaitPendingValue(const PendingValue& p) { p.Wait(); }

RunningPendingScope::RunningPendingScope(const PendingValue* running) : previous_(tls_running) {
  tls_running = running;
}
RunningPendingScope::~RunningPendingScope() { tls_running = previous_; }

void PendingTensors::Attach(Tensor& t, std::shared_ptr<PendingValue> pending) {
  t.impl_->pending = std::move(pending);
}

Tensor PendingTensors::Placeholder(const TensorSpec& spec, Device device,
                                   std::shared_ptr<PendingValue> pending) {
  auto impl = std::make_shared<TensorImpl>();
  impl->spec = spec;
  impl->num_elements = spec.shape.num_elements();
  impl->device = device;
  impl->pending = std::move(pending);
  return Tensor(std::move(impl));
}

void PendingTensors::Adopt(Tensor& placeholder, const Tensor& produced) {
  // Only what readers take after waiting: shape, dtype and device were fixed at creation and
  // are read meanwhile without waiting.
  TensorImpl& impl = *placeholder.impl_;
  impl.data = produced.impl_->data;
  // The produced tensor (or the buffer it views) owns the bytes; the placeholder keeps it alive.
  impl.base = produced.impl_->base ? produced.impl_->base : produced.impl_;
}

}  // namespace duet
