package dev.herald.storage.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Wraps a real {@link DataSource} and, while armed, makes the batch of every statement whose SQL starts
 * with a given prefix fail as a lost connection would, after the statements before it in the
 * transaction have run. Also fakes a database product name, for dialect detection tests.
 */
final class FaultyDataSource {
    private volatile String failingPrefix;

    private FaultyDataSource() {
    }

    /** A data source that fails statements starting with the armed prefix, if any. */
    static DataSource wrap(DataSource real, FaultyDataSource control) {
        return proxy(DataSource.class, real, (target, method, args) -> {
            Object result = invoke(method, target, args);
            if (method.getName().equals("getConnection")) {
                return connection((Connection) result, control);
            }
            return result;
        });
    }

    static FaultyDataSource control() {
        return new FaultyDataSource();
    }

    void failBatchesOf(String sqlPrefix) {
        failingPrefix = sqlPrefix;
    }

    void heal() {
        failingPrefix = null;
    }

    /** A data source whose connections say they come from {@code productName}; nothing else works. */
    static DataSource claimingToBe(String productName) {
        DatabaseMetaData meta = proxy(DatabaseMetaData.class, null, (t, m, a) -> {
            if (m.getName().equals("getDatabaseProductName")) {
                return productName;
            }
            throw new SQLException("not supported by this fake");
        });
        Connection connection = proxy(Connection.class, null, (t, m, a) -> switch (m.getName()) {
            case "getMetaData" -> meta;
            case "close" -> null;
            default -> throw new SQLException("not supported by this fake");
        });
        return proxy(DataSource.class, null, (t, m, a) -> {
            if (m.getName().equals("getConnection")) {
                return connection;
            }
            throw new SQLException("not supported by this fake");
        });
    }

    /** A data source that cannot connect, as when the database is down. */
    static DataSource unreachable() {
        return proxy(DataSource.class, null, (t, m, a) -> {
            throw new SQLException("Connection refused", "08001");
        });
    }

    private static Connection connection(Connection real, FaultyDataSource control) {
        return proxy(Connection.class, real, (target, method, args) -> {
            Object result = invoke(method, target, args);
            if (method.getName().equals("prepareStatement") && result instanceof PreparedStatement ps) {
                String prefix = control.failingPrefix;
                if (prefix != null && ((String) args[0]).startsWith(prefix)) {
                    return failingBatch(ps);
                }
            }
            return result;
        });
    }

    private static PreparedStatement failingBatch(PreparedStatement real) {
        return proxy(PreparedStatement.class, real, (target, method, args) -> {
            if (method.getName().equals("executeBatch")) {
                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
            }
            return invoke(method, target, args);
        });
    }

    private interface Handler {
        Object handle(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Object target, Handler handler) {
        InvocationHandler h = (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> type.getSimpleName() + " proxy";
                };
            }
            return handler.handle(target, method, args);
        };
        return type.cast(Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
