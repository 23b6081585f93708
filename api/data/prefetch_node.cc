// prefetch: a producer thread per iteration runs the input stream into a bounded queue. The
// consumer takes elements in order; an exception from the producer is queued like an element
// and rethrown to the consumer. Destroying the stream (loop end, break, exception unwinding)
// cancels the producer and joins it; the producer only ever blocks on the queue, so the join
// waits at most for the element it is computing.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "api/data/dataset_node.h"

namespace duet::data::internal {
namespace {

std::atomic<int> g_live_producers{0};

class PrefetchStream : public ElementStream {
 public:
  PrefetchStream(std::unique_ptr<ElementStream> input, int64_t buffer_size)
      : input_(std::move(input)), buffer_size_(static_cast<size_t>(buffer_size)) {
    producer_ = std::thread([this] { Produce(); });
  }
  ~PrefetchStream() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
    }
    space_.notify_all();
    producer_.join();
  }

  bool Next(std::vector<Tensor>* out) override {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return !queue_.empty() || finished_; });
    if (queue_.empty()) {
      if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
      return false;
    }
    *out = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    space_.notify_one();
    return true;
  }

 private:
  void Produce() {
    g_live_producers.fetch_add(1);
    std::exception_ptr error;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        space_.wait(lock, [&] { return queue_.size() < buffer_size_ || cancelled_; });
        if (cancelled_) break;
      }
      std::vector<Tensor> e;
      bool got = false;
      try {
        got = input_->Next(&e);
      } catch (...) {
        error = std::current_exception();
      }
      if (!got) break;
      {
        std::lock_guard<std::mutex> lock(mu_);
        queue_.push_back(std::move(e));
      }
      ready_.notify_one();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      finished_ = true;
      error_ = error;  // delivered after the elements produced before it
    }
    ready_.notify_all();
    g_live_producers.fetch_sub(1);
  }

  std::unique_ptr<ElementStream> input_;  // used by the producer thread only
  const size_t buffer_size_;
  std::mutex mu_;
  std::condition_variable ready_;  // an element (or the end) is available
  std::condition_variable space_;  // the queue has room (or the stream is cancelled)
  std::deque<std::vector<Tensor>> queue_;
  std::exception_ptr error_;
  bool finished_ = false;
  bool cancelled_ = false;
  std::thread producer_;  // last: started after every member above exists
};

class PrefetchNode : public DatasetNode {
 public:
  PrefetchNode(NodePtr input, int64_t buffer_size)
      : input_(std::move(input)), buffer_size_(buffer_size) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<PrefetchStream>(input_->Open(), buffer_size_);
  }
  int64_t Cardinality() const override { return input_->Cardinality(); }

 private:
  NodePtr input_;
  int64_t buffer_size_;
};

}  // namespace

int LivePrefetchThreads() { return g_live_producers.load(); }

NodePtr MakePrefetch(NodePtr input, int64_t buffer_size) {
  return std::make_shared<PrefetchNode>(std::move(input), buffer_size);
}

}  // namespace duet::data::internal
