-- CreateTable
CREATE TABLE "subtasks" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "submitted" BOOLEAN NOT NULL DEFAULT false,
    "uploading" BOOLEAN NOT NULL DEFAULT false,
    "upload_request_id" TEXT,
    "upload_started_at" TIMESTAMPTZ(3),
    "last_outcome" TEXT,
    "last_error" TEXT,
    "result_version" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subtasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subtask_results" (
    "id" BIGSERIAL NOT NULL,
    "subtask_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "request_id" TEXT NOT NULL,
    "is_worker_complete" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subtask_results_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "subtasks_uploading_upload_started_at_idx" ON "subtasks"("uploading", "upload_started_at");

-- CreateIndex
CREATE UNIQUE INDEX "subtask_results_request_id_key" ON "subtask_results"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "subtask_results_subtask_id_version_key" ON "subtask_results"("subtask_id", "version");

-- AddForeignKey
ALTER TABLE "subtask_results" ADD CONSTRAINT "subtask_results_subtask_id_fkey" FOREIGN KEY ("subtask_id") REFERENCES "subtasks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Result versions are immutable history: refuse UPDATE and DELETE.
CREATE FUNCTION subtask_results_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'subtask_results is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER subtask_results_append_only
  BEFORE UPDATE OR DELETE ON subtask_results
  FOR EACH ROW EXECUTE FUNCTION subtask_results_append_only();
