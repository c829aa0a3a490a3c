/* librdkafka's mock cluster (a Kafka broker written in C that keeps partitions in memory), run as a
 * process so the benchmark can compare kafka-ts with it. The bindings for Node do not expose
 * rd_kafka_mock_topic_create and the mock has no CreateTopics handler, hence this small launcher.
 *
 * stdout: "Awaiting socket connections on HOST:PORT." once listening.
 * stdin:  "create TOPIC PARTITIONS" lines, each answered "ok" or "error <reason>"; EOF stops it. */
#include <stdio.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

int main(void) {
        char errstr[512], line[512], topic[256];
        int partitions;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        /* Warnings and errors only: its notice about having no bootstrap.servers is expected. */
        rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof(errstr));
        /* The handle only hosts the cluster's thread; it never connects anywhere. */
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        rd_kafka_mock_cluster_t *mcluster;

        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        mcluster = rd_kafka_mock_cluster_new(rk, 1);
        if (!mcluster) {
                fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
                return 1;
        }
        printf("Awaiting socket connections on %s.\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        fflush(stdout);

        while (fgets(line, sizeof(line), stdin)) {
                rd_kafka_resp_err_t err;
                if (sscanf(line, "create %255s %d", topic, &partitions) != 2) {
                        printf("error bad command\n");
                } else if ((err = rd_kafka_mock_topic_create(mcluster, topic, partitions, 1))) {
                        printf("error %s\n", rd_kafka_err2str(err));
                } else {
                        printf("ok\n");
                }
                fflush(stdout);
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
