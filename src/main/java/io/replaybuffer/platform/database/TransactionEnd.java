package io.replaybuffer.platform.database;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.function.Consumer;

/**
 * Work that must wait until the current transaction has ended: telling others about a change (event streams, other
 * replicas' caches) before it commits would let them read the old row, or hear of a change that was rolled back.
 */
@ApplicationScoped
public class TransactionEnd {

    private final TransactionSynchronizationRegistry transactions;

    TransactionEnd(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /**
     * Hands {@code action} whether the current transaction committed, once it has ended; at once (as committed)
     * when no transaction is active, since whatever was written then is already in the database.
     */
    public void then(Consumer<Boolean> action) {
        if (!QuarkusTransaction.isActive()) {
            action.accept(true);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                action.accept(status == Status.STATUS_COMMITTED);
            }
        });
    }
}
