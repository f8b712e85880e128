package io.millrace.actors.internal;

import io.millrace.actors.ActorContext;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behavior;
import io.millrace.actors.BehaviorFactory;
import io.millrace.actors.Joinable;
import io.millrace.actors.Props;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@link ActorContext} of one {@link ActorCell}, as its behaviors see it: every method checks that the caller
 * is the actor itself, on its lane thread ({@link ActorCell#checkOwner}), validates its arguments, then asks the
 * cell (which holds the state: children, adapters, watches) or the runtime.
 */
final class CellContext<T> implements ActorContext<T> {

    final ActorCell<T> cell;

    CellContext(ActorCell<T> cell) {
        this.cell = cell;
    }

    @Override
    public ActorRef<T> getSelf() {
        return cell.self();
    }

    @Override
    public ActorSystem<Void> getSystem() {
        return cell.runtime().system();
    }

    @Override
    public Logger getLog() {
        return cell.log();
    }

    @Override
    public <U> ActorRef<U> spawn(Behavior<U> childBehavior, String name) {
        return spawn(childBehavior, name, Props.empty());
    }

    @Override
    public <U> ActorRef<U> spawn(Behavior<U> childBehavior, String name, Props props) {
        cell.checkOwner();
        ActorNames.validate(name);
        return cell.runtime().spawn(cell, childBehavior, name, props);
    }

    @Override
    public <U> ActorRef<U> spawn(BehaviorFactory<U> factory, String name, Props props) {
        cell.checkOwner();
        Objects.requireNonNull(factory, "factory");
        ActorNames.validate(name);
        Objects.requireNonNull(props, "props");
        if (!props.isRemote()) {
            return cell.runtime().spawn(cell, factory.create(), name, props);
        }
        return cell.children().remote().spawn(factory, name, props, null);
    }

    @Override
    public <U> ActorRef<U> spawnJoinable(BehaviorFactory<U> factory, String name, Joinable<?, ?, ?> joinable,
                                         Props props) {
        cell.checkOwner();
        Objects.requireNonNull(factory, "factory");
        ActorNames.validate(name);
        Objects.requireNonNull(joinable, "joinable");
        Objects.requireNonNull(props, "props");
        if (!props.isRemote()) {
            return Joins.spawn(cell, factory.create(), name, joinable, props);
        }
        return cell.children().remote().spawn(factory, name, props, joinable);
    }

    @Override
    public <U> ActorRef<U> spawnAnonymous(Behavior<U> childBehavior) {
        return spawnAnonymous(childBehavior, Props.empty());
    }

    @Override
    public <U> ActorRef<U> spawnAnonymous(Behavior<U> childBehavior, Props props) {
        cell.checkOwner();
        return cell.runtime().spawn(cell, childBehavior, ActorNames.anonymous(cell.children().nextAnonymous()), props);
    }

    @Override
    public <U> ActorRef<U> spawnJoinable(Behavior<U> childBehavior, String name, Joinable<?, ?, ?> joinable) {
        return spawnJoinable(childBehavior, name, joinable, Props.empty());
    }

    @Override
    public <U> ActorRef<U> spawnJoinable(Behavior<U> childBehavior, String name, Joinable<?, ?, ?> joinable,
                                         Props props) {
        cell.checkOwner();
        ActorNames.validate(name);
        return Joins.spawn(cell, childBehavior, name, Objects.requireNonNull(joinable, "joinable"), props);
    }

    @Override
    public void watch(ActorRef<?> target) {
        cell.checkOwner();
        cell.watchers().watch(Objects.requireNonNull(target, "target"), null);
    }

    @Override
    public void watchWith(ActorRef<?> target, T message) {
        cell.checkOwner();
        cell.watchers().watch(Objects.requireNonNull(target, "target"), Objects.requireNonNull(message, "message"));
    }

    @Override
    public void unwatch(ActorRef<?> target) {
        cell.checkOwner();
        cell.watchers().unwatch(Objects.requireNonNull(target, "target"));
    }

    @Override
    public void stop(ActorRef<?> child) {
        cell.checkOwner();
        Objects.requireNonNull(child, "child");
        ActorCell<?> childCell = child instanceof LocalActorRef<?> local ? local.cell : null;
        if (childCell == null && cell.childrenIfAny() != null && cell.childrenIfAny().stopRemote(child)) {
            return;
        }
        if (childCell == null || !childCell.isChildOf(cell)) {
            throw new IllegalArgumentException("child=" + child.path() + " is not a child of actor=" + cell.path
                    + "; an actor stops itself by returning Behaviors.stopped()");
        }
        childCell.sendSystem(SystemMessage.Stop.INSTANCE);
    }

    @Override
    public List<ActorRef<Void>> getChildren() {
        cell.checkOwner();
        Children children = cell.childrenIfAny();
        return children == null ? List.of() : children.refs();
    }

    @Override
    public Optional<ActorRef<Void>> getChild(String name) {
        cell.checkOwner();
        Children children = cell.childrenIfAny();
        return children == null || name == null ? Optional.empty() : children.get(name);
    }

    @Override
    public <U> ActorRef<U> messageAdapter(Class<U> messageClass, Function<U, T> adapter) {
        cell.checkOwner();
        return cell.messageAdapter(Objects.requireNonNull(messageClass, "messageClass"),
                Objects.requireNonNull(adapter, "adapter"));
    }

    @Override
    public <V> void pipeToSelf(CompletionStage<V> stage, BiFunction<V, Throwable, T> applyToResult) {
        cell.checkOwner();
        Adapters.pipeToSelf(cell, Objects.requireNonNull(stage, "stage"),
                Objects.requireNonNull(applyToResult, "applyToResult"));
    }

    @Override
    public <Req, Res> void ask(Class<Res> responseClass, ActorRef<Req> target, Duration timeout,
                               Function<ActorRef<Res>, Req> createRequest,
                               BiFunction<Res, Throwable, T> applyToResponse) {
        cell.checkOwner();
        Objects.requireNonNull(responseClass, "responseClass");
        Objects.requireNonNull(applyToResponse, "applyToResponse");
        CompletionStage<Res> reply = AskPattern.ask(target, createRequest, timeout, cell.runtime().scheduler());
        pipeToSelf(reply.thenApply(responseClass::cast), applyToResponse);
    }

    @Override
    public String toString() {
        return "ActorContext[" + cell.path + "]";
    }
}
