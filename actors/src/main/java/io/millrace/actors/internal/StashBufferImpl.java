package io.millrace.actors.internal;

import io.millrace.actors.Behavior;
import io.millrace.actors.StashBuffer;
import io.millrace.actors.StashOverflowException;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** A bounded FIFO of stashed messages, confined to its actor's thread. */
public final class StashBufferImpl<T> implements StashBuffer<T> {

    private final ActorCell<T> cell;
    private final int capacity;
    private final ArrayDeque<T> messages = new ArrayDeque<>();

    public StashBufferImpl(ActorCell<T> cell, int capacity) {
        this.cell = cell;
        this.capacity = capacity;
    }

    @Override
    public boolean isEmpty() {
        cell.checkOwner();
        return messages.isEmpty();
    }

    @Override
    public boolean nonEmpty() {
        return !isEmpty();
    }

    @Override
    public int size() {
        cell.checkOwner();
        return messages.size();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public boolean isFull() {
        return size() >= capacity;
    }

    @Override
    public StashBuffer<T> stash(T message) {
        cell.checkOwner();
        Objects.requireNonNull(message, "message");
        if (messages.size() >= capacity) {
            throw new StashOverflowException("stash of actor=" + cell.path + " is full: capacity=" + capacity
                    + ", cannot stash message of class=" + message.getClass().getName());
        }
        messages.addLast(message);
        return this;
    }

    @Override
    public T head() {
        cell.checkOwner();
        T head = messages.peekFirst();
        if (head == null) {
            throw new NoSuchElementException("stash of actor=" + cell.path + " is empty");
        }
        return head;
    }

    @Override
    public void forEach(Consumer<T> action) {
        cell.checkOwner();
        messages.forEach(action);
    }

    @Override
    public boolean anyMatch(Predicate<T> predicate) {
        cell.checkOwner();
        return messages.stream().anyMatch(predicate);
    }

    @Override
    public boolean contains(T message) {
        cell.checkOwner();
        return messages.contains(message);
    }

    @Override
    public void clear() {
        cell.checkOwner();
        messages.clear();
    }

    @Override
    public Behavior<T> unstashAll(Behavior<T> behavior) {
        return unstash(behavior, Integer.MAX_VALUE, Function.identity());
    }

    @Override
    public Behavior<T> unstash(Behavior<T> behavior, int count, Function<T, T> wrap) {
        if (count < 0) {
            throw new IllegalArgumentException("count=" + count + " must not be negative");
        }
        Objects.requireNonNull(wrap, "wrap");
        cell.checkOwner();
        Behavior<T> current = BehaviorInterpreter.canonicalize(behavior, cell.behavior(), cell.context);
        for (int n = Math.min(count, size()); n > 0; n--) {
            if (current instanceof BehaviorImpl.Stopped<?>) {
                break;
            }
            T message = wrap.apply(poll());
            current = BehaviorInterpreter.canonicalize(BehaviorInterpreter.receive(current, cell.context, message),
                    current, cell.context);
        }
        return current;
    }

    T poll() {
        return messages.pollFirst();
    }

    @Override
    public String toString() {
        return "StashBuffer[" + cell.path + ", capacity=" + capacity + "]";
    }
}
