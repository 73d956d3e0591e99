-- sgaudit SQLite schema at revision i14c_response_index
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)
--;;
CREATE TABLE change_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(200) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	entity VARCHAR(40) NOT NULL, 
	entity_id VARCHAR(60) NOT NULL, 
	audit_id INTEGER, 
	detail JSON NOT NULL, 
	CONSTRAINT pk_change_log PRIMARY KEY (id)
)
--;;
CREATE TABLE organisation (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_organisation PRIMARY KEY (id), 
	CONSTRAINT uq_organisation_name UNIQUE (name)
)
--;;
CREATE TABLE audit (
	id INTEGER NOT NULL, 
	organisation_id INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	start_date DATE, 
	end_date DATE, 
	auditor_1 VARCHAR(200) NOT NULL, 
	auditor_2 VARCHAR(200) NOT NULL, 
	scope VARCHAR(20) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	question_set_id VARCHAR(100) NOT NULL, 
	question_set_version INTEGER NOT NULL, 
	question_set_snapshot JSON NOT NULL, 
	previous_audit_id INTEGER, 
	framework_id VARCHAR(100), 
	created_at DATETIME NOT NULL, framework_snapshot JSON, version VARCHAR(12) DEFAULT '1.0' NOT NULL, 
	CONSTRAINT pk_audit PRIMARY KEY (id), 
	CONSTRAINT fk_audit_organisation_id_organisation FOREIGN KEY(organisation_id) REFERENCES organisation (id), 
	CONSTRAINT fk_audit_previous_audit_id_audit FOREIGN KEY(previous_audit_id) REFERENCES audit (id)
)
--;;
CREATE TABLE service_area (
	id INTEGER NOT NULL, 
	organisation_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	CONSTRAINT pk_service_area PRIMARY KEY (id), 
	CONSTRAINT fk_service_area_organisation_id_organisation FOREIGN KEY(organisation_id) REFERENCES organisation (id) ON DELETE CASCADE, 
	CONSTRAINT uq_service_area_organisation_id UNIQUE (organisation_id, name)
)
--;;
CREATE TABLE finding_review (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	finding_key VARCHAR(400) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	theme VARCHAR(100) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	summary TEXT NOT NULL, 
	severity VARCHAR(10) NOT NULL, 
	service_areas JSON NOT NULL, 
	tiers JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(200) NOT NULL, revision INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_finding_review PRIMARY KEY (id), 
	CONSTRAINT fk_finding_review_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT uq_finding_review_audit_id UNIQUE (audit_id, finding_key)
)
--;;
CREATE TABLE recommendation (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	theme VARCHAR(100) NOT NULL, 
	text TEXT NOT NULL, 
	priority VARCHAR(10) NOT NULL, 
	owner VARCHAR(200) NOT NULL, 
	due_date DATE, 
	finding_key VARCHAR(400), 
	carried_from_id INTEGER, 
	follow_up TEXT NOT NULL, 
	created_at DATETIME NOT NULL, measure TEXT DEFAULT '' NOT NULL, review_status VARCHAR(30) DEFAULT '' NOT NULL, review_evidence TEXT DEFAULT '' NOT NULL, reviewed_on DATE, 
	CONSTRAINT pk_recommendation PRIMARY KEY (id), 
	CONSTRAINT fk_recommendation_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT fk_recommendation_carried_from_id_recommendation FOREIGN KEY(carried_from_id) REFERENCES recommendation (id)
)
--;;
CREATE TABLE register_entry (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	register VARCHAR(30) NOT NULL, 
	row_number INTEGER NOT NULL, 
	data JSON NOT NULL, 
	CONSTRAINT pk_register_entry PRIMARY KEY (id), 
	CONSTRAINT fk_register_entry_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE
)
--;;
CREATE TABLE response (
	id INTEGER NOT NULL, 
	interview_id INTEGER NOT NULL, 
	question_id VARCHAR(60) NOT NULL, 
	answer TEXT NOT NULL, 
	note TEXT NOT NULL, 
	quotable BOOLEAN NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(200) NOT NULL, revision INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_response PRIMARY KEY (id), 
	CONSTRAINT fk_response_interview_id_interview FOREIGN KEY(interview_id) REFERENCES interview (id) ON DELETE CASCADE, 
	CONSTRAINT uq_response_interview_id UNIQUE (interview_id, question_id)
)
--;;
CREATE TABLE audit_signoff (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	version VARCHAR(12) NOT NULL, 
	item VARCHAR(400) NOT NULL, 
	decision VARCHAR(20) NOT NULL, 
	comment TEXT NOT NULL, 
	actor VARCHAR(200) NOT NULL, 
	at DATETIME NOT NULL, 
	CONSTRAINT pk_audit_signoff PRIMARY KEY (id), 
	CONSTRAINT fk_audit_signoff_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE
)
--;;
CREATE TABLE audit_issue (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	version VARCHAR(12) NOT NULL, 
	issued_at DATETIME NOT NULL, 
	issued_by VARCHAR(200) NOT NULL, 
	reviewed_by VARCHAR(200) NOT NULL, 
	reason TEXT NOT NULL, 
	report_context JSON, 
	template BLOB, 
	CONSTRAINT pk_audit_issue PRIMARY KEY (id), 
	CONSTRAINT fk_audit_issue_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT uq_audit_issue_audit_id UNIQUE (audit_id, version)
)
--;;
CREATE TABLE auditor_analysis (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	subject VARCHAR(400) NOT NULL, 
	seen TEXT NOT NULL, 
	why TEXT NOT NULL, 
	impact TEXT NOT NULL, 
	helps TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(200) NOT NULL, no_recommendation_reason TEXT DEFAULT '' NOT NULL, 
	CONSTRAINT pk_auditor_analysis PRIMARY KEY (id), 
	CONSTRAINT fk_auditor_analysis_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT uq_auditor_analysis_audit_id UNIQUE (audit_id, subject)
)
--;;
CREATE TABLE app_user (
	id INTEGER NOT NULL, 
	username VARCHAR(120) NOT NULL, 
	email VARCHAR(320), 
	password_hash VARCHAR(300), 
	is_admin BOOLEAN DEFAULT 0 NOT NULL, 
	disabled BOOLEAN DEFAULT 0 NOT NULL, 
	created_at DATETIME NOT NULL, 
	password_changed_at DATETIME, 
	CONSTRAINT pk_app_user PRIMARY KEY (id), 
	CONSTRAINT uq_app_user_username UNIQUE (username), 
	CONSTRAINT uq_app_user_email UNIQUE (email)
)
--;;
CREATE TABLE role_grant (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	role VARCHAR(40) NOT NULL, 
	organisation_id INTEGER NOT NULL, 
	audit_id INTEGER, 
	granted_at DATETIME NOT NULL, 
	granted_by VARCHAR(200) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_role_grant PRIMARY KEY (id), 
	CONSTRAINT uq_role_grant_user_id UNIQUE (user_id, role, organisation_id, audit_id), 
	CONSTRAINT fk_role_grant_user_id_app_user FOREIGN KEY(user_id) REFERENCES app_user (id) ON DELETE CASCADE, 
	CONSTRAINT fk_role_grant_organisation_id_organisation FOREIGN KEY(organisation_id) REFERENCES organisation (id) ON DELETE CASCADE, 
	CONSTRAINT fk_role_grant_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE
)
--;;
CREATE TABLE audit_event (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(200) DEFAULT '' NOT NULL, 
	user_id INTEGER, 
	organisation_id INTEGER, 
	audit_id INTEGER, 
	action VARCHAR(40) NOT NULL, 
	entity VARCHAR(40) DEFAULT '' NOT NULL, 
	entity_id VARCHAR(200) DEFAULT '' NOT NULL, 
	address VARCHAR(100) DEFAULT '' NOT NULL, 
	detail JSON NOT NULL, 
	CONSTRAINT pk_audit_event PRIMARY KEY (id)
)
--;;
CREATE TABLE audit_event_prune (
	id INTEGER NOT NULL, 
	CONSTRAINT pk_audit_event_prune PRIMARY KEY (id)
)
--;;
CREATE TABLE login_attempt (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	username VARCHAR(320) NOT NULL, 
	address VARCHAR(100) DEFAULT '' NOT NULL, 
	succeeded BOOLEAN DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_login_attempt PRIMARY KEY (id)
)
--;;
CREATE TABLE setup_token (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(128) NOT NULL, 
	created_at DATETIME NOT NULL, 
	used_at DATETIME, 
	CONSTRAINT pk_setup_token PRIMARY KEY (id)
)
--;;
CREATE TABLE "interview" (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	code VARCHAR(40) NOT NULL, 
	tier VARCHAR(30) NOT NULL, 
	service_area VARCHAR(200) NOT NULL, 
	mode VARCHAR(30) NOT NULL, 
	held_on DATE, 
	auditor VARCHAR(200) NOT NULL, 
	people INTEGER NOT NULL, 
	consent_confirmed BOOLEAN NOT NULL, 
	completed BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	response_key VARCHAR(200), 
	consent_withdrawn_at DATETIME, 
	double_scored BOOLEAN DEFAULT 0 NOT NULL, 
	second_scorer VARCHAR(200) DEFAULT '' NOT NULL, 
	second_completed BOOLEAN DEFAULT 0 NOT NULL, answer_count INTEGER DEFAULT '0' NOT NULL, 
	CONSTRAINT pk_interview PRIMARY KEY (id), 
	CONSTRAINT fk_interview_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT uq_interview_audit_response_key UNIQUE (audit_id, response_key), 
	CONSTRAINT uq_interview_audit_id UNIQUE (audit_id, code)
)
--;;
CREATE TABLE second_score (
	id INTEGER NOT NULL, 
	interview_id INTEGER NOT NULL, 
	question_id VARCHAR(60) NOT NULL, 
	answer TEXT NOT NULL, 
	scorer VARCHAR(200) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_second_score PRIMARY KEY (id), 
	CONSTRAINT fk_second_score_interview_id_interview FOREIGN KEY(interview_id) REFERENCES interview (id) ON DELETE CASCADE, 
	CONSTRAINT uq_second_score_interview_id UNIQUE (interview_id, question_id)
)
--;;
CREATE TABLE moderation (
	id INTEGER NOT NULL, 
	interview_id INTEGER NOT NULL, 
	question_id VARCHAR(60) NOT NULL, 
	first_answer TEXT NOT NULL, 
	second_answer TEXT NOT NULL, 
	agreed_answer TEXT NOT NULL, 
	reason TEXT NOT NULL, 
	actor VARCHAR(200) NOT NULL, 
	at DATETIME NOT NULL, 
	CONSTRAINT pk_moderation PRIMARY KEY (id), 
	CONSTRAINT fk_moderation_interview_id_interview FOREIGN KEY(interview_id) REFERENCES interview (id) ON DELETE CASCADE, 
	CONSTRAINT uq_moderation_interview_id UNIQUE (interview_id, question_id)
)
--;;
CREATE TABLE assurance_opinion (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	proposed VARCHAR(20) NOT NULL, 
	given VARCHAR(20) NOT NULL, 
	reason TEXT NOT NULL, 
	confirmed_by VARCHAR(200) NOT NULL, 
	confirmed_at DATETIME NOT NULL, 
	CONSTRAINT pk_assurance_opinion PRIMARY KEY (id), 
	CONSTRAINT fk_assurance_opinion_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE
)
--;;
CREATE TABLE audit_event_redact (
	id INTEGER NOT NULL, 
	CONSTRAINT pk_audit_event_redact PRIMARY KEY (id)
)
--;;
CREATE TABLE fieldwork_plan (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	tier VARCHAR(40) NOT NULL, 
	service_area VARCHAR(200) NOT NULL, 
	people INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by VARCHAR(200) NOT NULL, 
	CONSTRAINT pk_fieldwork_plan PRIMARY KEY (id), 
	CONSTRAINT fk_fieldwork_plan_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT uq_fieldwork_plan_audit_id UNIQUE (audit_id, tier, service_area)
)
--;;
CREATE TABLE erased_response (
	id INTEGER NOT NULL, 
	audit_id INTEGER NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	erased_at DATETIME NOT NULL, 
	CONSTRAINT pk_erased_response PRIMARY KEY (id), 
	CONSTRAINT fk_erased_response_audit_id_audit FOREIGN KEY(audit_id) REFERENCES audit (id) ON DELETE CASCADE, 
	CONSTRAINT uq_erased_response_audit_id UNIQUE (audit_id, key_hash)
)
--;;
CREATE INDEX ix_change_log_at ON change_log (at)
--;;
CREATE INDEX ix_change_log_audit_id ON change_log (audit_id)
--;;
CREATE INDEX ix_finding_review_audit_id ON finding_review (audit_id)
--;;
CREATE INDEX ix_recommendation_audit_id ON recommendation (audit_id)
--;;
CREATE INDEX ix_register_entry_audit_id ON register_entry (audit_id)
--;;
CREATE INDEX ix_audit_signoff_audit_id ON audit_signoff (audit_id)
--;;
CREATE INDEX ix_auditor_analysis_audit_id ON auditor_analysis (audit_id)
--;;
CREATE INDEX ix_role_grant_user_id ON role_grant (user_id)
--;;
CREATE INDEX ix_role_grant_organisation_id ON role_grant (organisation_id)
--;;
CREATE INDEX ix_audit_event_at ON audit_event (at)
--;;
CREATE INDEX ix_audit_event_organisation_id ON audit_event (organisation_id)
--;;
CREATE INDEX ix_audit_event_audit_id ON audit_event (audit_id)
--;;
CREATE INDEX ix_login_attempt_at ON login_attempt (at)
--;;
CREATE INDEX ix_login_attempt_username ON login_attempt (username)
--;;
CREATE INDEX ix_login_attempt_address ON login_attempt (address)
--;;
CREATE INDEX ix_interview_audit_id ON interview (audit_id)
--;;
CREATE UNIQUE INDEX ix_assurance_opinion_audit_id ON assurance_opinion (audit_id)
--;;
CREATE INDEX ix_fieldwork_plan_audit_id ON fieldwork_plan (audit_id)
--;;
CREATE INDEX ix_erased_response_audit_id ON erased_response (audit_id)
--;;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event WHEN NOT EXISTS (SELECT 1 FROM audit_event_prune) BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
--;;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event WHEN NOT (EXISTS (SELECT 1 FROM audit_event_redact) AND json_valid(NEW.detail) AND json(NEW.detail) = json_object('erased', json('true')) AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor AND NEW.user_id IS OLD.user_id AND NEW.organisation_id IS OLD.organisation_id AND NEW.audit_id IS OLD.audit_id AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity AND NEW.entity_id IS OLD.entity_id AND NEW.address IS OLD.address) BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
--;;
CREATE TRIGGER response_counted_insert AFTER INSERT ON response BEGIN UPDATE interview SET answer_count = answer_count + 1 WHERE id = NEW.interview_id; END
--;;
CREATE TRIGGER response_counted_delete AFTER DELETE ON response BEGIN UPDATE interview SET answer_count = answer_count - 1 WHERE id = OLD.interview_id; END
--;;
CREATE TRIGGER response_counted_move AFTER UPDATE OF interview_id ON response WHEN OLD.interview_id IS NOT NEW.interview_id BEGIN UPDATE interview SET answer_count = answer_count - 1 WHERE id = OLD.interview_id; UPDATE interview SET answer_count = answer_count + 1 WHERE id = NEW.interview_id; END
--;;
