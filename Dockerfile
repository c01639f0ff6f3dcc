# Airflow with Kinerja installed, for docker-compose.yml. The tag's Airflow version is the
# apache-airflow pin of requirements.txt and its Python the one pyproject.toml requires (a test
# checks both).
FROM apache/airflow:3.3.2-python3.11

# The project's exact pins first (this layer is cached until they change); apache-airflow is
# pinned there to the image's own version, so it is never moved.
COPY --chown=airflow:0 requirements.txt constraints.txt /opt/kinerja/
RUN pip install --no-cache-dir -r /opt/kinerja/requirements.txt -c /opt/kinerja/constraints.txt

# The package itself: its SQL, rules and expectations travel inside it.
COPY --chown=airflow:0 pyproject.toml README.md /opt/kinerja/src/
COPY --chown=airflow:0 pipelines /opt/kinerja/src/pipelines
COPY --chown=airflow:0 sql /opt/kinerja/src/sql
COPY --chown=airflow:0 config /opt/kinerja/src/config
COPY --chown=airflow:0 expectations /opt/kinerja/src/expectations
RUN pip install --no-cache-dir --no-deps /opt/kinerja/src

# The DAGs travel with the image too, so it runs without the compose file's mount of ./dags.
COPY --chown=airflow:0 dags /opt/airflow/dags
